"""Deployment: several Streamlit replicas behind nginx (``python -m deploy.replicas``)."""
