"""Run the service on a laptop: moto in place of AWS, the handlers unmodified."""
