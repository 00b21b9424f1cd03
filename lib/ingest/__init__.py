"""Files in and out: reading CSV/XLSX safely (reader, xlsx), validating against the schema with
every problem at once, the upload (inspect, then apply), templates and exports (workbook,
export), the shipped dataset seeded from data/, and the first start (seed, first admin). May
import core, storage and geo."""
