import pytest

from lib.ingest.reader import ReadError, read_csv_bytes

HEADER = "region_code;name;kind\n"


@pytest.mark.parametrize(
    "data",
    [
        b"region_code;name\n33.20;Jepara\n",
        b"region_code,name\n33.20,Jepara\n",
        b"region_code\tname\n33.20\tJepara\n",
        b"\xef\xbb\xbfregion_code;name\n33.20;Jepara\n",  # UTF-8 with BOM
        b"region_code;name\r\n33.20;Jepara\r\n\r\n;\r\n",  # Excel's trailing blank rows
    ],
)
def test_delimiters_bom_and_trailing_blank_rows(data):
    sheet = read_csv_bytes(data, "f.csv")
    assert sheet.headers == ["region_code", "name"]
    assert sheet.rows == [["33.20", "Jepara"]]
    assert sheet.row_numbers == [2]


def test_cp1252_text_is_read():
    sheet = read_csv_bytes("kode;nama\n33.20;Caf\u00e9\n".encode("cp1252"), "f.csv")
    assert sheet.rows[0][1] == "Caf\u00e9"


def test_codes_are_never_turned_into_numbers():
    sheet = read_csv_bytes(b"kode;anggaran\n33.20;1.250.000\n", "f.csv")
    assert sheet.rows[0] == ["33.20", "1.250.000"]


def test_row_numbers_are_the_ones_excel_shows():
    sheet = read_csv_bytes(b"\n\nregion_code;name\n33.20;A\n\n33.22;B\n", "f.csv")
    assert sheet.header_row == 3
    assert sheet.row_numbers == [4, 5, 6]


@pytest.mark.parametrize("data", [b"", b"   \n\n", b";;\n;;\n"])
def test_empty_files_are_refused(data):
    with pytest.raises(ReadError) as error:
        read_csv_bytes(data, "empty.csv")
    assert error.value.key == "empty_file"
    assert error.value.file == "empty.csv"


def test_binary_file_is_refused():
    with pytest.raises(ReadError) as error:
        read_csv_bytes(b"PK\x03\x04\x00\x00binary", "x.csv")
    assert error.value.key == "not_text"


@pytest.mark.parametrize(
    ("number", "column"),
    [(65, "BM"), (702, "ZZ"), (18_278, "ZZZ"), (18_279, "AAAA"), (20_003, "ACOI")],
)
def test_a_value_past_the_last_column_read_is_located_however_far(number, column):
    """A CSV row has no last column: a value far to the right (past Excel's XFD too) is named
    by its column letters, not refused with an error of our own."""
    data = f"kode_wilayah;tahap;status\n33.20;1{';' * (number - 2)}x\n".encode()
    with pytest.raises(ReadError) as error:
        read_csv_bytes(data, "tahap.csv")
    assert (error.value.key, error.value.params["column"]) == ("column_beyond_limit", column)
