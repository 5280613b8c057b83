"""The CLI speaks Italian when the user's locale asks for it and English otherwise, through
the library's one gettext catalog, with plural forms where there is a count (issue 15).

The Italian sentences are written here, as a reader of the terminal expects them; they are
not read from the catalog. Each command runs in a subprocess with only the locale variables
of the case, as a shell would start it.
"""

from __future__ import annotations

import errno
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from innesto.cli.failures import explain
from innesto.errors import SourceError
from innesto.i18n import msg, user_lang

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from innesto.cli.app import main; main()"]
IT = {"LANG": "it_IT.UTF-8"}
EN = {"LANG": "en_GB.UTF-8"}


def run(argv: list[str], cwd: Path, **locale: str) -> subprocess.CompletedProcess[str]:
    """``innesto argv`` in ``cwd`` with PATH, HOME, the source and the ``locale`` variables
    only."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd),
           "PYTHONPATH": str(ROOT / "src"), **locale}
    return subprocess.run([*CLI, *argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def error_line(res: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    return lines[0]


def write_csv(path: Path, *values: str) -> Path:
    """A long CSV (region, industry, time, value) with one row per value, regions R1, R2...
    and industries A, B alternating."""
    rows = [f"R{i // 2 + 1},{'AB'[i % 2]},2020,{v}" for i, v in enumerate(values)]
    path.write_text("\n".join(["region,industry,time,value", *rows]) + "\n", encoding="utf-8")
    return path


def test_an_error_is_in_italian_under_an_italian_locale_and_english_otherwise(
        tmp_path: Path) -> None:
    it = run(["plan", "validate", "nowhere"], tmp_path, **IT)
    en = run(["plan", "validate", "nowhere"], tmp_path, **EN)
    assert error_line(it) == "error: nowhere: file o cartella di piano inesistente"
    assert error_line(en) == "error: nowhere: no such plan file or folder"
    assert it.returncode == en.returncode == 1


def test_an_option_error_names_the_choices_in_italian(tmp_path: Path) -> None:
    res = run(["plan", "status", "nowhere", "--lang", "fr"], tmp_path, **IT)
    assert error_line(res) == "error: --lang 'fr': atteso uno tra it, en, both"


@pytest.mark.parametrize(("values", "italian", "english"), [
    (("",), "1 cella, mancante, riservata o corrotta", "1 cell, missing, confidential or corrupt"),
    (("", ":"), "2 celle, tutte mancanti, riservate o corrotte",
     "2 cells, all missing, confidential or corrupt"),
])
def test_nothing_valid_read_is_refused_with_the_count_in_its_plural_form(
        tmp_path: Path, values: tuple[str, ...], italian: str, english: str) -> None:
    src = write_csv(tmp_path / "blank.csv", *values)
    it = run(["ingest", str(src.name), "-o", "p.parquet", "-q"], tmp_path, **IT)
    en = run(["ingest", str(src.name), "-o", "p.parquet", "-q"], tmp_path, **EN)
    assert error_line(it) == (f"error: blank.csv: nessun valore leggibile ({italian}: vedere "
                              "il resoconto qui sopra); nulla è stato scritto")
    assert error_line(en) == (f"error: blank.csv: no value could be read ({english}: see the "
                              "report above); nothing written")
    assert not (tmp_path / "p.parquet").exists()


def test_the_read_report_and_the_summaries_are_in_italian(tmp_path: Path) -> None:
    write_csv(tmp_path / "one.csv", "5")
    write_csv(tmp_path / "four.csv", "5", "", "2", "8")
    one = run(["ingest", "one.csv", "-o", "one.parquet", "-q"], tmp_path, **IT)
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines()[0] == "one.csv (csv): 1 riga letta, tenute: 1"
    assert one.stdout.splitlines()[1].startswith("scritto one.parquet: ")
    four = run(["ingest", "four.csv", "-o", "four.parquet", "-q"], tmp_path, **IT)
    assert four.stdout.splitlines()[:2] == [
        "four.csv (csv): 4 righe lette, tenute: 4",
        "  missing: 1 (es. riga 3, colonna value, '')"]
    lq1 = run(["measure", "lq", "one.parquet", "-o", "lq1.csv"], tmp_path, **IT)
    lq4 = run(["measure", "lq", "four.parquet", "-o", "lq4.csv"], tmp_path, **IT)  # a row
    # per cell, the blank one included (its LQ is empty)
    assert lq1.stderr.strip() == "scritto 1 quoziente di localizzazione in lq1.csv"
    assert lq4.stderr.strip() == "scritti 4 quozienti di localizzazione in lq4.csv"
    en = run(["measure", "lq", "four.parquet", "-o", "lq4.csv"], tmp_path, **EN)
    assert en.stderr.strip() == "wrote 4 location quotients to lq4.csv"


def test_the_help_is_in_italian(tmp_path: Path) -> None:
    res = run(["plan", "--help"], tmp_path, **IT, COLUMNS="200")
    assert res.returncode == 0, res.stderr
    assert "Piani strategici come codice: validazione, stato, esportazione, importazione, " \
        "schema." in res.stdout
    assert "Verifica un piano: campi, identificativi, riferimenti incrociati" in res.stdout
    en = run(["plan", "--help"], tmp_path, **EN, COLUMNS="200")
    assert "Strategic plans as code: validate, status, export, import, schema." in en.stdout
    ingest = run(["ingest", "--help"], tmp_path, **IT, COLUMNS="200")
    assert "Legge SRC in un pannello (Parquet) con il lettore indicato o riconosciuto; ne " \
        "stampa il resoconto." in ingest.stdout
    assert "Il file sorgente da leggere." in ingest.stdout
    assert "Nessuna barra di avanzamento (per gli script)." in ingest.stdout


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "en"),                                                     # no locale: C
    ({"LANG": "it_IT.UTF-8"}, "it"),
    ({"LANG": "it_CH"}, "it"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "C", "LANG": "it_IT.UTF-8"}, "en"),                 # LC_ALL wins
    ({"LC_ALL": "", "LC_MESSAGES": "it_IT.UTF-8", "LANG": "en_US.UTF-8"}, "it"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "it_IT.UTF-8"}, "en"),
    ({"LANGUAGE": "it", "LANG": "en_US.UTF-8"}, "it"),               # LANGUAGE first...
    ({"LANGUAGE": "it"}, "en"),                                     # ...but not in C
    ({"LANGUAGE": "it", "LANG": "POSIX"}, "en"),
    ({"LANGUAGE": "it", "LANG": "C.UTF-8"}, "it"),                  # C.UTF-8 is not "C"
    ({"LANGUAGE": "de:fr:it", "LANG": "en_US.UTF-8"}, "it"),         # first with a catalog
    ({"LANGUAGE": "de", "LANG": "it_IT.UTF-8"}, "en"),              # none: the msgids
    ({"LANG": "de_DE.UTF-8"}, "en"),
])
def test_the_language_is_chosen_as_gnu_gettext_chooses_it(env: dict[str, str],
                                                           lang: str) -> None:
    """GNU gettext's order (manual, "The LANGUAGE variable" and "Locale Environment
    Variables"): LC_ALL, then LC_MESSAGES, then LANG give the locale; LANGUAGE overrides it
    unless the locale is "C"; a language without a catalog falls through to the next."""
    assert user_lang(env) == lang


def test_a_language_chosen_by_language_reaches_the_command(tmp_path: Path) -> None:
    res = run(["plan", "validate", "nowhere"], tmp_path, LANGUAGE="de:it", LANG="en_US.UTF-8")
    assert error_line(res) == "error: nowhere: file o cartella di piano inesistente"


@pytest.mark.parametrize(("exc", "italian", "code"), [
    (OSError(errno.ENOSPC, "No space left on device", "out.parquet"),
     "il disco è pieno (scrivendo out.parquet): liberare spazio e rieseguire il comando", 5),
    (PermissionError(errno.EACCES, "Permission denied", "/srv"),
     "permesso negato (/srv): scegliere una cartella in cui si può scrivere, o chiedere "
     "l'accesso", 5),
    (OSError(errno.EADDRINUSE, "Address already in use"),
     "la porta è già in uso: sceglierne un'altra con --port", 4),
    (MemoryError(), "memoria insufficiente: usare una selezione più piccola o il motore spark",
     5),
    (SourceError(msg("file not found"), path="x.csv", line=3, column="v",
                 expected=msg("a complete Parquet file (e.g. written by innesto ingest)")),
     "x.csv, riga 3, colonna 'v': file non trovato (atteso: un file Parquet completo (per "
     "esempio scritto da innesto ingest))", 1),
])
def test_every_kind_of_failure_is_explained_in_italian(exc: BaseException, italian: str,
                                                       code: int) -> None:
    assert explain(exc, "it") == (italian, code)
    english = explain(exc, "en")
    assert english is not None and english[1] == code and english[0] != italian


def test_an_error_raised_with_a_catalogued_message_reads_in_english_elsewhere() -> None:
    """A library error keeps its English text for a log or a traceback."""
    err = SourceError(msg("file not found"), path="x.csv")
    assert str(err) == "x.csv: file not found"
    assert err.localized("it") == "x.csv: file non trovato"


def test_a_limit_is_named_in_italian_with_italian_numbers(tmp_path: Path) -> None:
    """The input limits (issue 14) speak the user's language too: the setting's name stays
    as it is, the numbers take Italian separators."""
    write_csv(tmp_path / "four.csv", "5", "3", "2", "8")
    res = run(["ingest", "four.csv", "-o", "p.parquet", "-q"], tmp_path, **IT,
              INNESTO_MAX_ROWS="2")
    assert error_line(res) == ("error: four.csv, riga 4: più di 2 righe (INNESTO_MAX_ROWS) "
                               "(atteso: una tabella più piccola)")
    big = "region,industry,time,value\n" + "R1,A,2020,5\n" * 200_000
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress(big.encode(), 9))
    res = run(["ingest", "big.csv.gz", "-o", "p.parquet", "-q"], tmp_path, **IT,
              INNESTO_MAX_DECOMPRESSED_BYTES=str(1 << 20))
    assert error_line(res) == ("error: big.csv.gz: i dati decompressi superano i 1 MiB "
                               "consentiti (INNESTO_MAX_DECOMPRESSED_BYTES) (atteso: un file "
                               "più piccolo)")
    res = run(["ingest", "four.csv", "-o", "p.parquet", "-q"], tmp_path, **EN,
              INNESTO_MAX_CELLS="10")
    assert error_line(res) == ("error: four.csv, line 4: more than 10 cells (INNESTO_MAX_CELLS) "
                               "(expected a smaller table)")


def test_a_missing_column_is_named_in_italian_with_the_closest_one(tmp_path: Path) -> None:
    (tmp_path / "it.csv").write_text("regione,settore,anno,valore\nR1,A,2020,5\n",
                                     encoding="utf-8")
    res = run(["ingest", "it.csv", "-o", "p.parquet", "--format", "csv", "--region",
               "regionx", "-q"], tmp_path, **IT)
    assert error_line(res) == (
        "error: it.csv, riga 1, colonna 'regionx': nessuna colonna 'regionx' per regione; "
        "forse si intendeva 'regione'? Le colonne sono 'regione', 'settore', 'anno', "
        "'valore' (atteso: una colonna che indichi regione)")
