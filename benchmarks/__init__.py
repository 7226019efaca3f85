"""The benchmark of the app against the budget of issue 6 (``python -m benchmarks.run``).

One module per concern: :mod:`benchmarks.report` (rows, budgets, table, JSON),
:mod:`benchmarks.payload` (what ``st_folium`` sends, and the naive map it is
compared with), :mod:`benchmarks.timing` (server reruns, page builds, exports)
and :mod:`benchmarks.browser` (the system Chromium against ``streamlit run``,
and the server's memory).
"""
