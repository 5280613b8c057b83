"""The library's own errors reach a person at the terminal in her language (issue 15): each
reader, engine, measure and plan module raises with a catalogued message, and the CLI's
``error:`` line is in Italian under an Italian locale, in English otherwise, with plural
forms where there is a count.

The Italian sentences are written here, as a reader of the terminal expects them; they are
not read from the catalog. Each command runs in a subprocess with only the locale variables
of the case, as a shell would start it. The catalog check is tested too: it passes on the
code as it is and fails when a message the code uses has lost its translation.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Literal

import polib
import pytest
import typer
from typer._click.exceptions import ClickException
from typer.main import get_command

from innesto.cli.usage import localized
from innesto.i18n import msg
from innesto.plan.assemble import RowProblem, TableError
from innesto.portal import i18n as tool
from tests.cli.test_i18n import EN, IT, ROOT, error_line, run

EXAMPLES = ROOT / "src" / "innesto" / "examples"

OK = "region,industry,time,value\nR1,A,2020,5\nR2,A,2020,3\nR1,B,2020,2\nR2,B,2020,1\n"

#: (module raising, file name, its content, the command, the English line, the Italian line).
CASES = [
    ("sources.eurostat_tsv", "empty.tsv", "\n", ["ingest", "empty.tsv", "--format", "eurostat-tsv"],
     "empty.tsv, line 1: empty file (expected a Eurostat TSV header)",
     "empty.tsv, riga 1: file vuoto (atteso: un'intestazione TSV di Eurostat)"),
    ("sources.sdmx_csv", "twice.csv", "DATAFLOW,geo,geo,TIME_PERIOD,OBS_VALUE\nX,IT,IT,2020,1\n",
     ["ingest", "twice.csv", "--format", "sdmx-csv"],
     "twice.csv, line 1: a column name appears twice (expected distinct column names)",
     "twice.csv, riga 1: un nome di colonna compare due volte (atteso: nomi di colonna "
     "distinti)"),
    ("sources.eurostat_sbs", "noyear.txt", "nace_r2;geo;foo\nC;IT;1\n",
     ["ingest", "noyear.txt", "--format", "eurostat-sbs"],
     "noyear.txt, line 1: no year column (expected a column such as n2015; the columns are "
     "nace_r2, geo, foo)",
     "noyear.txt, riga 1: nessuna colonna dell'anno (atteso: una colonna come n2015; le "
     "colonne sono nace_r2, geo, foo)"),
    ("sources.bea", "notbea.csv", "x,y\n1,2\n", ["ingest", "notbea.csv", "--format", "bea"],
     "notbea.csv, line 1: not a BEA table (expected a header with GeoFIPS,...,LineCode or "
     "fips,year,indust,gdp)",
     "notbea.csv, riga 1: non è una tabella BEA (atteso: un'intestazione con "
     "GeoFIPS,...,LineCode o fips,year,indust,gdp)"),
    ("sources.wide", "nocol.csv", "a,b,c\n1,2,3\n", ["ingest", "nocol.csv", "--format", "wide"],
     "nocol.csv, line 1: name the region column with region=... (expected one of a, b, c)",
     "nocol.csv, riga 1: indicare la colonna della regione con region=... (atteso: uno tra a, "
     "b, c)"),
    # the generic reader's declared text (sources.spec, sources.engine): the role is
    # translated, the option's name is not
    ("sources.generic", "nocol.csv", "a,b,c\n1,2,3\n", ["ingest", "nocol.csv", "--format", "csv"],
     "nocol.csv, line 1: no column for the region: name it with region=...; the columns are "
     "'a', 'b', 'c' (expected a column for the region)",
     "nocol.csv, riga 1: nessuna colonna per regione: indicarla con region=...; le colonne "
     "sono 'a', 'b', 'c' (atteso: una colonna per regione)"),
    ("engines.relational", "micro.csv", "unit,region,industry\nu1,R1,A\nu3,R2,B\n",
     ["pipeline", "micro.csv", "--microdata", "--level", "0", "-o", "out"],
     "column 'time' not found; the columns are 'unit', 'region', 'industry'",
     "colonna 'time' non trovata; le colonne sono 'unit', 'region', 'industry'"),
    ("engines.periods", "notime.csv", "region,industry,time,value\nR1,A,,5\nR2,A,2020,3\n",
     ["pipeline", "notime.csv", "-o", "out"],
     "1 row(s) have a value but no period (blank time); fill the period or read the table as "
     "a single period",
     "1 riga ha un valore ma nessun periodo (tempo vuoto); indicare il periodo o leggere la "
     "tabella come un unico periodo"),
    ("measures._structure", "ok.csv", OK, ["measure", "lq", "ok.csv", "--regions", "R9"],
     "region 'R9' not in the panel; the regions are 'R1', 'R2'",
     "regione 'R9' non nel pannello; le regioni sono 'R1', 'R2'"),
    ("measures.complexity", "neg.csv", OK.replace("R2,A,2020,3", "R2,A,2020,-3"),
     ["measure", "complexity", "neg.csv"],
     "period '2020': 1 value(s) are negative or infinite; complexity needs non-negative "
     "activity (exports, employment)",
     "periodo '2020': 1 valore è negativo o infinito; la complessità richiede un'attività non "
     "negativa (esportazioni, occupazione)"),
    ("measures.shift_share", "ok.csv", OK,
     ["measure", "shift-share", "ok.csv", "--focus", "R1", "--reference", "R2", "--start",
      "2020", "--end", "2021"],
     "period '2021' not in the panel; the periods are 2020",
     "periodo '2021' non nel pannello; i periodi sono 2020"),
    ("plan.yaml_io", "dup.yaml", "id: a\nid: b\n", ["plan", "validate", "dup.yaml"],
     "dup.yaml, line 2, field 'id': duplicate key 'id'",
     "dup.yaml, riga 2, campo 'id': chiave duplicata 'id'"),
]


@pytest.mark.parametrize(("module", "name", "content", "argv", "english", "italian"), CASES,
                         ids=[c[0] for c in CASES])
def test_a_library_error_reads_in_the_user_s_language(
        tmp_path: Path, module: str, name: str, content: str, argv: list[str], english: str,
        italian: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    if argv[0] in ("ingest", "measure"):
        argv = [*argv, "-o", "out.parquet" if argv[0] == "ingest" else "out.csv"]
    it = run(argv, tmp_path, **IT)
    en = run(argv, tmp_path, **EN)
    assert error_line(it) == f"error: {italian}"
    assert error_line(en) == f"error: {english}"
    assert it.returncode == en.returncode == 1


def test_a_plan_s_broken_reference_reads_in_the_user_s_language(tmp_path: Path) -> None:
    """plan.references: the problem, and the file, line and field around it."""
    plan = tmp_path / "tor"
    shutil.copytree(EXAMPLES / "torino", plan)
    edition = plan / "editions" / "2015.yaml"
    lines = edition.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[37].strip() == "sector: ict"
    lines[37] = lines[37].replace("ict", "nowhere")
    edition.write_text("".join(lines), encoding="utf-8")
    where = "tor/editions/2015.yaml"
    field = "'editions.2.indicators.1.sector'"
    assert error_line(run(["plan", "validate", "tor"], tmp_path, **IT)) == \
        f"error: {where}, riga 38, campo {field}: settore sconosciuto 'nowhere'"
    assert error_line(run(["plan", "validate", "tor"], tmp_path, **EN)) == \
        f"error: {where}, line 38, field {field}: unknown sector 'nowhere'"


def test_a_spreadsheet_row_problem_reads_in_italian() -> None:
    """plan.assemble: an import's row problems, frame and message."""
    problem = RowProblem("nodes", 3, "parent_id", msg("no node %(parent)s", parent="'x'"))
    assert problem.localized("it") == "tabella 'nodes', riga 3, colonna 'parent_id': nessun " \
        "nodo 'x'"
    assert str(TableError([problem])) == "table 'nodes', row 3, column 'parent_id': no node 'x'"


def test_a_count_takes_its_plural_form_in_italian(tmp_path: Path) -> None:
    (tmp_path / "notime.csv").write_text(
        "region,industry,time,value\nR1,A,,5\nR2,A,,3\nR2,B,2020,3\n", encoding="utf-8")
    it = run(["pipeline", "notime.csv", "-o", "out"], tmp_path, **IT)
    assert error_line(it).startswith("error: 2 righe hanno un valore ma nessun periodo")


def test_typer_s_frame_speaks_italian_through_the_same_catalog(tmp_path: Path) -> None:
    """Typer's panels and hint go through the library's catalog, and so do the words of the
    Click copy inside Typer (``Usage:``, its placeholders, the help of ``--help`` and of the
    completion options: innesto.cli.usage)."""
    it = run(["plan", "validate", "--nope"], tmp_path, **IT, COLUMNS="120")
    assert it.returncode == 2
    assert "Provare '" in it.stderr and "--help' per l'aiuto." in it.stderr
    assert "─ Errore ─" in it.stderr
    help_it = run(["plan", "--help"], tmp_path, **IT, COLUMNS="120")
    assert "─ Opzioni ─" in help_it.stdout and "─ Comandi ─" in help_it.stdout
    assert "Uso: " in help_it.stdout and "plan [OPZIONI] COMANDO [ARGOMENTI]..." in help_it.stdout
    assert "Mostra questo messaggio ed esce." in help_it.stdout
    assert "Usage" not in help_it.stdout and "Show this" not in help_it.stdout
    root_it = run(["--help"], tmp_path, **IT, COLUMNS="120")
    assert "Installa il completamento per la shell corrente." in root_it.stdout
    en = run(["plan", "validate", "--nope"], tmp_path, **EN, COLUMNS="120")
    assert "─ Error ─" in en.stderr and "for help." in en.stderr
    help_en = run(["plan", "--help"], tmp_path, **EN, COLUMNS="120")
    assert "Usage: " in help_en.stdout and "plan [OPTIONS] COMMAND [ARGS]..." in help_en.stdout
    assert "Show this message and exit." in help_en.stdout


def panel(res: subprocess.CompletedProcess[str]) -> str:
    """The text of the error panel Typer draws on stderr, its lines joined."""
    inside = [ln.strip("│ ") for ln in res.stderr.splitlines() if ln.startswith("│")]
    assert inside and "Traceback" not in res.stderr, res.stderr
    return " ".join(inside)


#: (case, the command, the English panel, the Italian panel): the usage errors the Click
#: copy inside Typer writes, each from the exception's class and attributes
#: (innesto.cli.usage), plurals where there is a count.
USAGE_CASES = [
    ("no such option", ["plan", "validate", "--nope"], "No such option: --nope",
     "Opzione inesistente: --nope"),
    ("one possible option", ["plan", "status", "x", "--editon", "1"],
     "No such option: --editon (Possible options: --edition)",
     "Opzione inesistente: --editon (opzione possibile: --edition)"),
    ("possible options", ["measure", "lq", "x", "--total-industr", "X"],
     "No such option: --total-industr (Possible options: --industries, --industry, "
     "--total-industry)",
     "Opzione inesistente: --total-industr (opzioni possibili: --industries, --industry, "
     "--total-industry)"),
    ("no such command", ["plam"], "No such command 'plam'. Did you mean 'plan'?",
     "Comando inesistente 'plam'. Forse si intendeva 'plan'?"),
    ("missing argument", ["plan", "validate"], "Missing argument 'path'.",
     "Argomento mancante: 'path'."),
    ("missing option", ["measure", "shift-share", "x"], "Missing option '-o' / '--output'.",
     "Opzione mancante: '-o' / '--output'."),
    ("not an integer", ["plan", "status", "x", "--edition", "abc"],
     "Invalid value for '--edition': Input should be a valid integer, unable to parse string "
     "as an integer",
     "Valore non valido per '--edition': il valore deve essere un numero intero, il testo non "
     "si legge come numero intero"),
    ("not a number", ["pipeline", "x", "-o", "y", "--threshold", "abc"],
     "Invalid value for '--threshold': Input should be a valid number, unable to parse string "
     "as a number",
     "Valore non valido per '--threshold': il valore deve essere un numero, il testo non si "
     "legge come numero"),
    ("below the minimum", ["pipeline", "x", "-o", "y", "--workers", "0"],
     "Invalid value for '--workers': Input should be greater than or equal to 1",
     "Valore non valido per '--workers': il valore deve essere maggiore o uguale a 1"),
    ("one extra argument", ["plan", "validate", "a", "b"],
     "Got unexpected extra argument(s) (b)", "Argomento in più inatteso (b)"),
    ("extra arguments", ["plan", "validate", "a", "b", "c"],
     "Got unexpected extra argument(s) (b c)", "Argomenti in più inattesi (b c)"),
    ("option without its value", ["plan", "status", "x", "--lang"],
     "Option '--lang' requires an argument.", "L'opzione '--lang' richiede un argomento."),
]


@pytest.mark.parametrize(("argv", "english", "italian"), [c[1:] for c in USAGE_CASES],
                         ids=[c[0] for c in USAGE_CASES])
def test_a_usage_error_of_typer_s_click_reads_in_the_user_s_language(
        tmp_path: Path, argv: list[str], english: str, italian: str) -> None:
    it = run(argv, tmp_path, **IT, COLUMNS="200")
    en = run(argv, tmp_path, LANG="C", COLUMNS="200")
    assert panel(it) == italian
    assert panel(en) == english
    assert it.returncode == en.returncode == 2
    if "Uso: " in it.stderr:        # the usage line, when Click knows the command
        assert it.stderr.startswith("Uso: ") and "[OPZIONI]" in it.stderr.splitlines()[0]
        assert en.stderr.startswith("Usage: ") and "[OPTIONS]" in en.stderr.splitlines()[0]
    else:
        assert argv[-1] == "--lang" and "Usage" not in en.stderr


#: A plan whose problems cover the validator's frequent error types: a literal, a bound, a
#: date, a missing and an unknown field.
BAD_PLAN = """\
id: x
title: {it: X, en: X}
languages: [it, fr]
editions:
  - edition: 2015
    id: e
    title: {it: E, en: E}
    extra_key: 1
    nodes:
      - id: n1
        title: {it: N, en: N}
        weight: -0.5
        milestones:
          - title: {it: M, en: M}
            due: '2015-13-01'
"""


def test_the_plan_validator_s_problems_read_in_the_user_s_language(tmp_path: Path) -> None:
    """Pydantic's words, by error type (innesto.pydantic_messages), inside the translated
    file, line and field of each problem; the count in its plural form."""
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    it = run(["plan", "validate", "bad.yaml"], tmp_path, **IT)
    en = run(["plan", "validate", "bad.yaml"], tmp_path, LANG="C")
    assert it.returncode == en.returncode == 1
    node, stone = "editions.0.nodes.0", "editions.0.nodes.0.milestones.0"
    assert it.stderr.splitlines() == [
        "error: 6 problemi nel piano:",
        "bad.yaml, riga 3, campo 'languages.1': il valore deve essere 'it' o 'en'",
        f"bad.yaml, riga 10, campo '{node}.level': campo obbligatorio mancante",
        f"bad.yaml, riga 12, campo '{node}.weight': il valore deve essere maggiore o uguale a 0",
        f"bad.yaml, riga 14, campo '{stone}.id': campo obbligatorio mancante",
        f"bad.yaml, riga 15, campo '{stone}.due': il valore deve essere una data (o data e ora) "
        "valida: il mese è fuori dall'intervallo previsto 1-12",
        "bad.yaml, riga 8, campo 'editions.0.extra_key': campo sconosciuto (controllarne "
        "l'ortografia)"]
    assert en.stderr.splitlines() == [
        "error: 6 problem(s) in the plan:",
        "bad.yaml, line 3, field 'languages.1': Input should be 'it' or 'en'",
        f"bad.yaml, line 10, field '{node}.level': required field is missing",
        f"bad.yaml, line 12, field '{node}.weight': Input should be greater than or equal to 0",
        f"bad.yaml, line 14, field '{stone}.id': required field is missing",
        f"bad.yaml, line 15, field '{stone}.due': Input should be a valid date or datetime, "
        "month value is outside expected range of 1-12",
        "bad.yaml, line 8, field 'editions.0.extra_key': unknown field (check its spelling)"]


def test_the_catalog_check_passes_and_fails_on_a_lost_translation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m innesto.portal.i18n check`` passes on the catalogs as they are; with the
    Italian translation of one reader's message blanked, or its entry removed, it exits 1
    naming the message."""
    assert tool.main(["check"]) == 0, capsys.readouterr().out
    real = tool.library_po_path
    lost = tmp_path / "lost" / "innesto.po"
    gone = tmp_path / "gone" / "innesto.po"
    for target in (lost, gone):
        target.parent.mkdir()
        shutil.copy(real("it"), target)
    po = polib.pofile(str(lost))
    po.find("empty file").msgstr = ""
    po.save()
    po = polib.pofile(str(gone))
    po.remove(po.find("a column name appears twice"))
    po.save()
    for target, problem in ((lost, "no translation for 'empty file'"),
                            (gone, "not in the catalog: 'a column name appears twice'")):
        monkeypatch.setattr(tool, "library_po_path",
                            lambda lang, t=target: t if lang == "it" else real(lang))
        capsys.readouterr()
        assert tool.main(["check"]) == 1
        assert problem in capsys.readouterr().out


def test_typer_s_choice_and_path_checks_read_in_italian(tmp_path: Path) -> None:
    """The checks no innesto command uses yet (a choice, a path that must exist), on a
    small Typer app with the pinned Typer: its real exceptions, translated by
    innesto.cli.usage, and left as they are in English."""
    app = typer.Typer()

    @app.command()
    def cmd(src: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
            kind: Annotated[Literal["a", "b"], typer.Option()] = "a") -> None:
        pass

    def error(*argv: str) -> ClickException:
        with pytest.raises(ClickException) as caught:
            get_command(app).main(list(argv), standalone_mode=False)
        return caught.value

    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_text("", encoding="utf-8")
    cases = [
        (error(str(tmp_path / "nowhere")), "Invalid value for 'src': file '{p}' does not exist.",
         "Valore non valido per 'src': il file '{p}' non esiste.", "nowhere"),
        (error(str(tmp_path / "d")), "Invalid value for 'src': file '{p}' is a directory.",
         "Valore non valido per 'src': il file '{p}' è una cartella.", "d"),
        (error(str(tmp_path / "f"), "--kind", "c"),
         "Invalid value for '--kind': Value error, 'c' is not one of 'a', 'b'.",
         "Valore non valido per '--kind': 'c' non è uno tra 'a', 'b'.", "f"),
    ]
    for exc, english, italian, name in cases:
        p = tmp_path / name
        assert exc.format_message() == english.format(p=p)
        assert localized(exc, "en") is exc
        it = localized(exc, "it")
        assert it.format_message() == italian.format(p=p)
        assert it.exit_code == exc.exit_code == 2 and getattr(it, "ctx", None) is exc.ctx
