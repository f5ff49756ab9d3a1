"""What gunicorn and ``flask --app wsgi`` serve."""

from server import create_app

app = create_app()
