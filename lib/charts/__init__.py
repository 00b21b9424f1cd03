"""Charts: the palette, short names and ticks every chart shares (palette), and the charts
drawn on the server as SVG (svg). May import lib.core only."""
