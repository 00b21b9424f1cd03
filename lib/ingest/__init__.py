"""Files in and out: reading CSV/XLSX safely (reader, xlsx), validating against the schema with
every problem at once, the upload (inspect, then apply), templates and exports (workbook,
export), and the shipped dataset seeded from data/. May import core, storage and geo."""
