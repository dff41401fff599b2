"""Entry point for servers: `gunicorn app:server`, or `python app.py` for a local run.

Set PAINMAP_DATA to a YAML file or folder to serve another dataset than the bundled one.
"""

import os

from painmap.app import create_app

app = create_app(os.environ.get("PAINMAP_DATA") or None)
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050)
