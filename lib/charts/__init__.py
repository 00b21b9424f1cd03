"""Charts, of two kinds, from one palette (palette: colours from lib/core/vocab.toml, the heat
scale, month ticks, counts split by category). May import lib.core only.

Which kind a new chart takes:
- SVG drawn on the server (svg): a small, fixed chart on a page's first screen that a reader
  only reads (the overview, a region's stage timeline, a program's quarter line). No
  JavaScript: the first visit stays as light as a page without charts.
- plotly (plotly_locale for what every such chart is given, one module per chart, e.g.
  heatmap): where a reader explores: hovers for an exact figure, zooms, many regions or
  periods, editions or quarters compared. It costs ~1 MB of plotly.js (brotli) once, on the
  first such page; the headline is not delayed and later visits take it from the cache.
Either way: every data text escaped, a text equivalent a screen reader reaches, the figures in
a table a reader can open, and status never told by colour alone.
"""
