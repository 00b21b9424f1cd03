"""Maps: boundary files imported and matched to regions (boundaries), the geometry a map sends
for a scope (mapdata), and the folium map itself (mapview). May import core, storage and charts."""
