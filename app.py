"""Entry point for servers: `gunicorn app:server`, or `python app.py` for a local run."""

from painmap.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050)
