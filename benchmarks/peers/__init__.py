"""The benchmark's peer apps: the empty-map floor and the plain folium version.

Each is a minimal Streamlit script run with ``streamlit run`` beside the app
(:mod:`benchmarks.compare`), with Leaflet served by the app's own static
folder (``static/vendor``): no request leaves the machine.
"""
