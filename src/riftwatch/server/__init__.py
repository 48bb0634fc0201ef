"""The web face of riftwatch: a FastAPI app with a JSON API and offline dashboard pages.

``create_app`` (in ``app.py``) builds the app; ``riftwatch serve`` runs it with uvicorn.
"""
