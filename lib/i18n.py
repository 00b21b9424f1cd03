"""Every user-facing text in Bahasa Indonesia (first) and English, and number/date formats."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pandas as pd

LANGS = ("id", "en")
DEFAULT_LANG = "id"
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "WIB")

MONTHS = {
    "id": [
        *("Januari", "Februari", "Maret", "April", "Mei", "Juni"),
        *("Juli", "Agustus", "September", "Oktober", "November", "Desember"),
    ],
    "en": [
        *("January", "February", "March", "April", "May", "June"),
        *("July", "August", "September", "October", "November", "December"),
    ],
}

TEXT: dict[str, tuple[str, str]] = {
    # app shell
    "app_title": ("Dasbor Smart City KSPN Borobudur", "KSPN Borobudur Smart City Dashboard"),
    "language": ("Bahasa / Language", "Bahasa / Language"),
    "reference_date": ("Tanggal acuan", "Reference date"),
    "reference_date_help": (
        "Tahap terlambat = rencana selesai sebelum tanggal ini dan belum selesai.",
        "A stage is late when its planned end is before this date and it is not done.",
    ),
    "page_overview": ("Ringkasan", "Overview"),
    "page_region": ("Wilayah", "Region"),
    "page_dimensions": ("Dimensi", "Dimensions"),
    "data_version": (
        "Data versi {version} ({when}) · dimuat {loaded}",
        "Data version {version} ({when}) · loaded {loaded}",
    ),
    "sample_notice": (
        "Sebagian data yang ditampilkan adalah **data contoh (ilustratif)**, bukan fakta resmi: "
        'baris dengan sumber "sample". Fakta publik 2021 mencantumkan sumbernya.',
        "Some of the data shown is **sample (illustrative) data**, not official fact: rows whose "
        'source is "sample". Public 2021 facts name their source.',
    ),
    "data_unreadable": (
        "Data tidak dapat dimuat. Perbaiki masalah berikut lalu muat ulang halaman.",
        "The data could not be loaded. Fix the problems below, then reload the page.",
    ),
    "data_inconsistent": (
        "Data tersimpan tidak konsisten ({count} masalah). Semua baris tetap ditampilkan; "
        "perbaiki baris berikut.",
        "The stored data is inconsistent ({count} problems). All rows are still shown; "
        "fix these rows.",
    ),
    # headline
    "regions": ("Wilayah", "Regions"),
    "stages_done": ("Tahap selesai", "Stages done"),
    "masterplans_complete": ("Masterplan rampung", "Plans complete"),
    "programs": ("Program", "Programs"),
    "quick_wins": ("Quick win", "Quick wins"),
    "stages_late": ("Tahap terlambat", "Stages late"),
    "of_n": ("dari {n}", "of {n}"),
    "late_at": ("Terlambat per {date}", "Late as of {date}"),
    # overview
    "overview_title": ("Ringkasan kemajuan masterplan", "Masterplan progress overview"),
    "overview_caption": (
        "Sembilan kabupaten/kota KSPN Borobudur: empat tahap Bimtek per wilayah.",
        "Nine regencies and cities of KSPN Borobudur: four Bimtek stages per region.",
    ),
    "map_title": ("Peta wilayah", "Map of the regions"),
    "map_help": (
        "Warna = jumlah tahap selesai; cincin merah = ada tahap terlambat. Klik wilayah untuk "
        "membuka halamannya.",
        "Colour = stages done; red ring = a stage is late. Click a region to open its page.",
    ),
    "progress_title": ("Kemajuan Bimtek per wilayah", "Bimtek progress per region"),
    "dimension_counts_title": (
        "Jumlah program per dimensi",
        "Programs per dimension",
    ),
    "stack_by": ("Tumpuk menurut", "Stack by"),
    "late_regions": ("Wilayah terlambat", "Late regions"),
    "no_late": ("Tidak ada tahap terlambat.", "No stage is late."),
    # region
    "region_pick": ("Pilih wilayah", "Choose a region"),
    "region_status": ("Status tahap", "Stage status"),
    "timeline_title": ("Linimasa tahap: rencana vs realisasi", "Stage timeline: planned vs actual"),
    "stage_details": ("Rincian tahap", "Stage details"),
    "dimension_horizon": ("Program per dimensi dan jangka", "Programs by dimension and horizon"),
    "quick_wins_title": ("Quick win", "Quick wins"),
    "no_quick_wins": ("Belum ada quick win.", "No quick wins yet."),
    "program_table": ("Daftar program", "Programs"),
    "filter_dimension": ("Dimensi", "Dimension"),
    "filter_horizon": ("Jangka", "Horizon"),
    "filter_status": ("Status", "Status"),
    "filter_quick_win": ("Hanya quick win", "Quick wins only"),
    "download_csv": ("Unduh tabel (CSV)", "Download table (CSV)"),
    "shown_n": ("{n} dari {total} program ditampilkan", "{n} of {total} programs shown"),
    "progress_label": ("Kemajuan", "Progress"),
    "current_stage": ("Tahap saat ini", "Current stage"),
    "complete": ("Rampung", "Complete"),
    "late_flag": ("terlambat", "late"),
    "unknown_region": ("Wilayah '{code}' tidak dikenal.", "Unknown region '{code}'."),
    # dimensions
    "dimensions_title": ("Program per wilayah dan dimensi", "Programs by region and dimension"),
    "all": ("Semua", "All"),
    "top_agencies": ("OPD pengampu teratas per dimensi", "Top lead agencies per dimension"),
    "heatmap_empty": ("Tidak ada program untuk filter ini.", "No programs match these filters."),
    # columns / axis labels
    "col_stage": ("Tahap", "Stage"),
    "col_status": ("Status", "Status"),
    "col_planned": ("Rencana", "Planned"),
    "col_actual": ("Realisasi", "Actual"),
    "col_venue": ("Tempat", "Venue"),
    "col_deliverable": ("Luaran", "Deliverable"),
    "col_source": ("Sumber", "Source"),
    "col_notes": ("Catatan", "Notes"),
    "col_program": ("Program", "Program"),
    "col_program_id": ("ID", "ID"),
    "col_dimension": ("Dimensi", "Dimension"),
    "col_horizon": ("Jangka", "Horizon"),
    "col_agency": ("OPD pengampu", "Lead agency"),
    "col_budget": ("Anggaran (Rp)", "Budget (IDR)"),
    "col_years": ("Tahun", "Years"),
    "col_count": ("Jumlah program", "Programs"),
    "col_stages_done": ("Tahap selesai", "Stages done"),
    "col_quick_win": ("Quick win", "Quick win"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "sample": ("contoh", "sample"),
    # upload and history
    "page_upload": ("Unggah data", "Upload"),
    "page_history": ("Riwayat", "History"),
    "upload_title": ("Unggah data terbaru", "Upload updated data"),
    "upload_intro": (
        "Unduh templat (berisi data saat ini), ubah di Excel, lalu unggah. Untuk setiap wilayah "
        "yang ada di berkas, baris berkas menggantikan baris wilayah itu; wilayah lain tidak "
        "berubah. Tidak ada yang ditulis sebelum Anda menekan Terapkan.",
        "Download the template (it holds the current data), edit it in Excel, then upload it. "
        "For each region in the file, the file's rows replace that region's rows; other regions "
        "stay unchanged. Nothing is written until you press Apply.",
    ),
    "template_xlsx": ("Unduh templat + data saat ini (.xlsx)", "Download template + data (.xlsx)"),
    "template_csv": ("Unduh sebagai CSV (.zip)", "Download as CSV (.zip)"),
    "choose_files": ("Pilih berkas .xlsx atau .csv", "Choose .xlsx or .csv files"),
    "checking": ("Memeriksa berkas…", "Checking the files…"),
    "applying": ("Menerapkan perubahan…", "Applying the changes…"),
    "problems_found": (
        "{n} masalah ditemukan. Tidak ada yang ditulis. Perbaiki berkas lalu unggah lagi.",
        "{n} problems found. Nothing was written. Fix the file and upload it again.",
    ),
    "download_problems": ("Unduh daftar masalah (CSV)", "Download the problems (CSV)"),
    "no_changes": (
        "Berkas sah, tetapi tidak mengubah apa pun.",
        "The file is valid but changes nothing.",
    ),
    "preview_title": ("Pratinjau perubahan", "Preview of the changes"),
    "added": ("Ditambah", "Added"),
    "changed": ("Diubah", "Changed"),
    "removed": ("Dihapus", "Removed"),
    "confirm_removals": (
        "Saya paham {n} baris akan dihapus.",
        "I understand that {n} rows will be removed.",
    ),
    "apply": ("Terapkan", "Apply"),
    "applied": ("Diterapkan sebagai versi {version}.", "Applied as version {version}."),
    "stale": (
        "Data berubah sejak pratinjau (kini versi {version}). Tidak ada yang ditulis; "
        "pratinjau di bawah sudah diperbarui, periksa lagi.",
        "The data changed since the preview (now version {version}). Nothing was written; the "
        "preview below is refreshed, check it again.",
    ),
    "history_title": ("Riwayat versi data", "Data version history"),
    "compare_title": ("Bandingkan dua versi", "Compare two versions"),
    "from_version": ("Dari versi", "From version"),
    "to_version": ("Ke versi", "To version"),
    "rollback_title": ("Kembalikan ke versi sebelumnya", "Roll back to an earlier version"),
    "rollback_help": (
        "Membuat versi baru yang isinya sama dengan versi terpilih. Versi lain tetap tersimpan.",
        "Creates a new version equal to the chosen one. Every other version stays stored.",
    ),
    "rollback_button": ("Kembalikan", "Roll back"),
    "rolled_back": (
        "Dikembalikan ke versi {target} sebagai versi {version}.",
        "Rolled back to version {target} as version {version}.",
    ),
    "view_as_of": ("Lihat dasbor pada versi ini", "View the dashboard at this version"),
    "pinned": (
        "Anda melihat data versi {version}, bukan yang terbaru ({latest}).",
        "You are viewing data version {version}, not the latest ({latest}).",
    ),
    "back_to_latest": ("Kembali ke versi terbaru", "Back to the latest version"),
    "version_label": (
        "Versi {version} · {when} · {author} · {action}",
        "Version {version} · {when} · {author} · {action}",
    ),
    "action_seed": ("data awal", "initial data"),
    "action_upload": ("unggahan", "upload"),
    "action_rollback": ("pengembalian", "rollback"),
    "col_version": ("Versi", "Version"),
    "col_when": ("Waktu", "When"),
    "col_author": ("Oleh", "By"),
    "col_action": ("Tindakan", "Action"),
    "col_summary": ("Ringkasan", "Summary"),
    "col_key": ("Kunci", "Key"),
    "col_old": ("Lama", "Old"),
    "col_new": ("Baru", "New"),
    # boundaries
    "page_boundaries": ("Batas wilayah", "Boundaries"),
    "boundaries_title": ("Impor batas wilayah", "Import boundaries"),
    "boundaries_intro": (
        "Unggah berkas batas wilayah (GeoJSON, GeoPackage, atau Shapefile dalam .zip; CRS apa "
        "pun). Fitur dicocokkan ke kode wilayah dulu, lalu ke nama beserta jenis "
        "(Kabupaten/Kota). Tidak ada yang disimpan sebelum Anda menekan Simpan.",
        "Upload a boundary file (GeoJSON, GeoPackage, or a zipped Shapefile; any CRS). "
        "Features are matched by region code first, then by name with its kind "
        "(Kabupaten/Kota). Nothing is stored until you press Save.",
    ),
    "boundary_file": ("Berkas batas wilayah", "Boundary file"),
    "attribution": ("Atribusi sumber data (tampil di peta)", "Data attribution (shown on the map)"),
    "match_summary": (
        "{matched} wilayah cocok dari {regions}; {ambiguous} ambigu; {unmatched} fitur lain "
        "(konteks); {non_admin} bukan wilayah administratif. Toleransi penyederhanaan "
        "{tolerance}°, ukuran untuk peta {size} KB, CRS sumber {crs}, {repaired} geometri "
        "diperbaiki.",
        "{matched} of {regions} regions matched; {ambiguous} ambiguous; {unmatched} other "
        "features (context); {non_admin} not administrative. Simplification tolerance "
        "{tolerance}°, map size {size} KB, source CRS {crs}, {repaired} geometries repaired.",
    ),
    "missing_regions": ("Belum cocok: {names}.", "Not matched yet: {names}."),
    "save_boundaries": ("Simpan batas wilayah", "Save the boundaries"),
    "boundaries_saved": ("Batas wilayah disimpan (set {id}).", "Boundaries saved (set {id})."),
    "status_matched": ("cocok", "matched"),
    "status_ambiguous": ("ambigu", "ambiguous"),
    "status_unmatched": ("konteks", "context"),
    "status_non_administrative": ("bukan wilayah administratif", "not administrative"),
    "col_feature": ("Fitur", "Feature"),
    "col_method": ("Cara", "Method"),
    # accounts
    "login_title": ("Masuk", "Sign in"),
    "username": ("Nama pengguna", "User name"),
    "password": ("Kata sandi", "Password"),
    "login": ("Masuk", "Sign in"),
    "login_sso": ("Masuk dengan SSO", "Sign in with SSO"),
    "logout": ("Keluar", "Sign out"),
    "signed_in_as": ("Masuk sebagai **{name}** · {role}", "Signed in as **{name}** · {role}"),
    "login_refused": (
        "Masuk gagal. Periksa nama dan kata sandi, atau coba lagi nanti.",
        "Sign-in failed. Check the name and password, or try again later.",
    ),
    "session_expired": (
        "Sesi berakhir; silakan masuk lagi.",
        "Session expired; please sign in again.",
    ),
    "login_needed": (
        "Masuk dulu untuk membuka halaman ini (panel kiri).",
        "Sign in first to open this page (left panel).",
    ),
    "no_right": (
        "Akun Anda tidak berhak membuka halaman ini.",
        "Your account has no right to open this page.",
    ),
    "sso_no_account": (
        "Email {email} belum terdaftar; hubungi admin Kominfo untuk hak akses.",
        "The email {email} has no account; ask the Kominfo admin for access.",
    ),
    "role_ministry_admin": ("Admin kementerian", "Ministry admin"),
    "role_ministry_viewer": ("Pemantau kementerian", "Ministry viewer"),
    "role_regional_editor": ("Editor wilayah", "Regional editor"),
    "role_regional_viewer": ("Pemantau wilayah", "Regional viewer"),
    "page_audit": ("Audit", "Audit"),
    "audit_title": ("Catatan audit", "Audit log"),
    "col_success": ("Berhasil", "Succeeded"),
    "col_detail": ("Rincian", "Detail"),
    "failures_only": ("Hanya yang gagal", "Failures only"),
    "download_audit": ("Unduh catatan (CSV)", "Download the log (CSV)"),
    # problems
    "col_file": ("Berkas", "File"),
    "col_sheet": ("Lembar", "Sheet"),
    "col_row": ("Baris", "Row"),
    "col_column": ("Kolom", "Column"),
    "col_code": ("Kode", "Code"),
    "col_value": ("Nilai", "Value"),
    "col_message": ("Pesan", "Message"),
}

ENUM_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "dimension": {
        "governance": ("Tata kelola", "Governance"),
        "branding": ("Branding", "Branding"),
        "economy": ("Ekonomi", "Economy"),
        "living": ("Kehidupan", "Living"),
        "society": ("Masyarakat", "Society"),
        "environment": ("Lingkungan", "Environment"),
    },
    "horizon": {
        "short": ("Pendek (1 th)", "Short (1 yr)"),
        "medium": ("Menengah (5 th)", "Medium (5 yrs)"),
        "long": ("Panjang (10 th)", "Long (10 yrs)"),
    },
    "status": {
        "planned": ("Rencana", "Planned"),
        "in_progress": ("Berjalan", "In progress"),
        "done": ("Selesai", "Done"),
    },
    "stage": {
        1: ("Bimtek 1", "Bimtek 1"),
        2: ("Bimtek 2", "Bimtek 2"),
        3: ("Bimtek 3", "Bimtek 3"),
        4: ("Bimtek 4", "Bimtek 4"),
    },
    "deliverable": {
        1: ("Analisis kesiapan (buku 1)", "Readiness analysis (book 1)"),
        2: ("Inventaris program RPJMD/Renstra", "Inventory of RPJMD/Renstra programs"),
        3: ("Inovasi per program", "An innovation per program"),
        4: ("Quick win, roadmap, masterplan final", "Quick wins, roadmap, final masterplan"),
    },
    "kind": {"kabupaten": ("Kabupaten", "Regency"), "kota": ("Kota", "City")},
}

PROBLEM_TEXT: dict[str, tuple[str, str]] = {
    "missing_label": ("Kolom wajib tidak ada.", "A required column is missing."),
    "extra_label": (
        "Kolom tidak dikenal. Kolom yang dikenal: {known}.",
        "Unknown column. Known columns: {known}.",
    ),
    "duplicate_label": ("Kolom ini muncul lebih dari sekali.", "This column appears twice."),
    "blank_label": ("Judul kolom ke-{index} kosong.", "Header of column {index} is blank."),
    "blank_row": ("Baris kosong di tengah data.", "Blank row in the middle of the data."),
    "required": ("Nilai wajib diisi.", "A value is required."),
    "not_integer": ("Bukan bilangan bulat.", "Not a whole number."),
    "not_number": ("Bukan angka.", "Not a number."),
    "not_date": (
        "Bukan tanggal (tulis 2021-09-20, 20/09/2021 atau 20 September 2021).",
        "Not a date (write 2021-09-20, 20/09/2021 or 20 September 2021).",
    ),
    "year_out_of_range": ("Tahun di luar 1900-2100.", "Year outside 1900-2100."),
    "not_bool": ("Isi ya atau tidak.", "Write yes or no."),
    "bad_code": (
        "Bukan kode wilayah (contoh: 33.23).",
        "Not a region code (example: 33.23).",
    ),
    "not_allowed": (
        "Nilai tidak diizinkan. Pilihan: {choices}.",
        "Value not allowed. Choose one of: {choices}.",
    ),
    "out_of_range": (
        "Di luar rentang {minimum}–{maximum}.",
        "Outside the range {minimum}–{maximum}.",
    ),
    "control_chars": (
        "Berisi karakter kontrol (mis. NUL) yang tidak diizinkan.",
        "Contains control characters (e.g. NUL), which are not allowed.",
    ),
    "too_long": ("Teks terlalu panjang.", "Text too long."),
    "before_first": (
        "Lebih awal dari '{first}' ({first_value}).",
        "Earlier than '{first}' ({first_value}).",
    ),
    "duplicate_key": (
        "Kunci ganda; baris lain dengan kunci yang sama: {rows}.",
        "Duplicate key; other rows with the same key: {rows}.",
    ),
    "unknown_region": (
        "Kode wilayah tidak dikenal. Kode yang berlaku: {codes}.",
        "Unknown region code. Valid codes: {codes}.",
    ),
    "empty_file": ("Berkas kosong.", "The file is empty."),
    "not_text": ("Bukan berkas teks/CSV.", "Not a text/CSV file."),
    "no_header": ("Baris judul kolom tidak ada.", "There is no header row."),
    "unreadable": ("Berkas tidak dapat dibaca: {reason}", "The file cannot be read: {reason}"),
    "missing_file": ("Berkas tidak ditemukan.", "The file was not found."),
    "too_big": (
        "Berkas lebih besar dari batas {limit} MB.",
        "The file is larger than the {limit} MB limit.",
    ),
    "macro_file": (
        "Berkas dengan makro (.xlsm) tidak diterima; simpan sebagai .xlsx biasa.",
        "Files with macros (.xlsm) are not accepted; save as a plain .xlsx.",
    ),
    "encrypted_or_legacy": (
        "Berkas berpassword atau format .xls lama; buka di Excel lalu simpan sebagai .xlsx "
        "tanpa password.",
        "A password-protected file or the old .xls format; open it in Excel and save as .xlsx "
        "without a password.",
    ),
    "unsupported_type": (
        "Jenis berkas tidak didukung; unggah .xlsx atau .csv.",
        "Unsupported file type; upload .xlsx or .csv.",
    ),
    "not_xlsx": (
        "Bukan berkas Excel .xlsx yang sah (mungkin berkas lain yang diganti namanya).",
        "Not a valid Excel .xlsx file (perhaps another file renamed).",
    ),
    "corrupt_xlsx": (
        "Berkas .xlsx rusak atau terpotong; simpan ulang dari Excel.",
        "The .xlsx file is damaged or truncated; save it again from Excel.",
    ),
    "zip_bomb": (
        "Berkas ditolak: isinya mengembang jauh melebihi ukuran wajar.",
        "File refused: its contents inflate far beyond a reasonable size.",
    ),
    "unsafe_xml": (
        "Berkas ditolak: XML berisi deklarasi entitas yang tidak aman.",
        "File refused: its XML declares unsafe entities.",
    ),
    "unsafe_xml_parser": (
        "Server belum memasang defusedxml; berkas .xlsx tidak dibaca.",
        "defusedxml is not installed on the server; .xlsx files are not read.",
    ),
    "too_many_rows": (
        "Terlalu banyak baris (batas {limit}).",
        "Too many rows (limit {limit}).",
    ),
    "merged_cells": (
        "Sel gabungan (merge) {value} tidak diizinkan; pisahkan sel.",
        "Merged cells {value} are not allowed; unmerge them.",
    ),
    "formula_without_value": (
        "Sel berisi rumus tanpa nilai tersimpan; buka dan simpan ulang di Excel, "
        "atau isi nilainya.",
        "The cell holds a formula with no saved value; open and save it in Excel, or type the "
        "value.",
    ),
    "unknown_table": (
        "Tabel tidak dikenali dari judul kolomnya.",
        "The table cannot be recognised from its headers.",
    ),
    "table_twice": (
        "Tabel '{table}' ada lebih dari sekali dalam unggahan.",
        "Table '{table}' appears more than once in the upload.",
    ),
    "no_known_sheet": (
        "Tidak ada lembar data yang dikenali. Nama lembar yang diharapkan: {expected}.",
        "No data sheet recognised. Expected sheet names: {expected}.",
    ),
    "geo_too_big": ("Berkas lebih besar dari {limit} MB.", "The file is larger than {limit} MB."),
    "geo_unsupported": (
        "Jenis berkas tidak didukung; unggah .geojson, .gpkg atau Shapefile dalam .zip.",
        "Unsupported file type; upload .geojson, .gpkg or a zipped Shapefile.",
    ),
    "geo_unreadable": ("Bukan berkas geometri yang dapat dibaca.", "Not a readable geometry file."),
    "geo_empty": ("Berkas tidak berisi geometri area.", "The file holds no area geometry."),
    "geo_several_layers": (
        "Berkas berisi beberapa lapisan ({layers}); unggah satu lapisan saja.",
        "The file holds several layers ({layers}); upload a single layer.",
    ),
    "geo_no_layer": ("Tidak ada berkas .shp di dalam zip.", "There is no .shp file in the zip."),
    "geo_path_traversal": (
        "Nama berkas tidak aman di dalam zip: {name}.",
        "Unsafe file name inside the zip: {name}.",
    ),
    "geo_no_crs": (
        "Sistem koordinat tidak diketahui dan koordinat bukan derajat; sertakan berkas .prj.",
        "Unknown coordinate system and the coordinates are not degrees; include the .prj file.",
    ),
    "geo_no_match": (
        "Tidak ada fitur yang cocok dengan wilayah mana pun.",
        "No feature matches any region.",
    ),
    "not_allowed_action": (
        "Akun Anda tidak berhak melakukan ini.",
        "Your account is not allowed to do this.",
    ),
    "other_region_rows": (
        "Ditolak seluruhnya: berkas berisi baris wilayah lain yang bukan wewenang Anda: {rows}.",
        "Refused as a whole: the file holds rows of regions that are not yours: {rows}.",
    ),
    "rollback_other_regions": (
        "Ditolak: pengembalian ini mengubah wilayah lain ({regions}).",
        "Refused: this rollback would change other regions ({regions}).",
    ),
    "no_rows": (
        "Hanya ada baris judul; tidak ada data di bawahnya.",
        "There is only a header row; no data below it.",
    ),
    "name_not_code": (
        "Ini nama, bukan kode wilayah. Maksud Anda: {codes}?",
        "This is a name, not a region code. Did you mean: {codes}?",
    ),
    "key_of_other_region": (
        "Kunci ini sudah dipakai wilayah {region}, yang tidak ada dalam unggahan.",
        "This key is already used by region {region}, which is not in the upload.",
    ),
    "kind_code_mismatch": (
        "Kode {code} adalah {expected}; jenis tidak cocok.",
        "Code {code} is a {expected}; the kind does not match.",
    ),
    "name_kind_mismatch": (
        "Nama harus diawali '{expected}' sesuai jenisnya.",
        "The name must start with '{expected}' to match its kind.",
    ),
}


MESSAGE_DIR = Path(__file__).with_name("messages")


def load_catalogue(directory: Path = MESSAGE_DIR) -> dict[str, dict]:
    """Message files: one TOML table per message id, a text per language.

    A language's text may be a table of plural forms (``one``, ``other``) chosen by the
    ``count`` parameter (or ``n``). Each feature keeps its words in a file of its own.
    """
    catalogue: dict[str, dict] = {}
    for path in sorted(directory.glob("*.toml")):
        for key, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if key in catalogue or key in TEXT:
                raise ValueError(f"message id {key!r} is defined twice ({path.name})")
            missing = [lang for lang in LANGS if lang not in entry]
            if missing:
                raise ValueError(f"message id {key!r} in {path.name} lacks {missing}")
            catalogue[key] = entry
    return catalogue


CATALOGUE = load_catalogue()


def plural_form(count, lang: str) -> str:
    """CLDR plural category: Indonesian has one form, English 'one' and 'other'."""
    if lang == "en":
        try:
            number = float(str(count).replace(".", "").replace(",", "")) if count is not None else 0
        except ValueError:
            number = 0
        return "one" if number == 1 else "other"
    return "other"


def t(key: str, lang: str, **params) -> str:
    if key in CATALOGUE:
        text = CATALOGUE[key][lang]
        if isinstance(text, dict):
            form = plural_form(params.get("count", params.get("n")), lang)
            text = text.get(form, text["other"])
    else:
        pair = TEXT.get(key)
        if pair is None:
            return key
        text = pair[LANGS.index(lang)]
    return text.format(**params) if params else text


def enum_label(kind: str, value, lang: str) -> str:
    labels = ENUM_LABELS.get(kind, {})
    if value in labels:
        return labels[value][LANGS.index(lang)]
    return str(value)


class _Unfilled(dict):
    """A placeholder its producer did not fill shows as an ellipsis, never as '{value}'."""

    def __missing__(self, key):
        return "…"


def problem_message(key: str, lang: str, params: dict) -> str:
    if key in CATALOGUE:
        text = CATALOGUE[key][lang]
    else:
        pair = PROBLEM_TEXT.get(key)
        if pair is None:
            pair = PROBLEM_TEXT.get(key.split("(")[0], (key, key))
        text = pair[LANGS.index(lang)]
    try:
        return text.format_map(_Unfilled(params))
    except (IndexError, ValueError):
        return text


def fmt_int(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "id" else text


def fmt_number(value, lang: str, decimals: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_pct(fraction, lang: str) -> str:
    if fraction is None or pd.isna(fraction):
        return "–"
    return f"{fmt_number(fraction * 100, lang, 0)}%"


def fmt_date(value, lang: str) -> str:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def fmt_date_range(start, end, lang: str) -> str:
    """20–21 September 2021; 27 September – 8 Oktober 2021; one date when start == end."""
    start_missing = start is None or pd.isna(start)
    end_missing = end is None or pd.isna(end)
    if start_missing and end_missing:
        return "–"
    if start_missing or end_missing or start == end:
        return fmt_date(end if start_missing else start, lang)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{fmt_date(end, lang)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[lang][start.month - 1]} – {fmt_date(end, lang)}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def fmt_datetime(value: dt.datetime, lang: str) -> str:
    clock = f"{value:%H.%M}" if lang == "id" else f"{value:%H:%M}"
    zone = f" {value.tzname()}" if value.tzinfo and value.tzname() else ""
    return f"{fmt_date(value.date(), lang)} {clock}{zone}"
