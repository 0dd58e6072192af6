import subprocess
import sys

from cmdesk.cli.main import main


def test_help_lists_subcommands(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "info" in out
    assert "--db" in out


def test_info_on_a_new_workspace(tmp_path, capsys):
    db = tmp_path / "w.cmdesk"
    assert main(["--db", str(db), "info"]) == 0
    out = capsys.readouterr().out
    assert f"workspace: {db}" in out
    assert "mentions:  0" in out


def test_foreign_file_is_one_clear_line_and_nonzero(tmp_path, capsys):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    assert main(["--db", str(bogus), "info"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdesk: error: ")
    assert "not an SQLite database" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cmdesk_db_environment_variable(tmp_path, monkeypatch, capsys):
    db = tmp_path / "env.cmdesk"
    monkeypatch.setenv("CMDESK_DB", str(db))
    assert main(["info"]) == 0
    assert str(db) in capsys.readouterr().out


def test_python_dash_m_and_main_py_work(tmp_path):
    db = str(tmp_path / "m.cmdesk")
    for command in ([sys.executable, "-m", "cmdesk"], [sys.executable, "main.py"]):
        done = subprocess.run(
            [*command, "--db", db, "info"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "schema:" in done.stdout


def test_unexpected_errors_are_one_line_with_the_log_path(tmp_path, capsys, monkeypatch):
    from cmdesk.cli import workspace_cmd

    def explode(args, ctx):
        raise RuntimeError("something odd")

    monkeypatch.setattr(workspace_cmd, "info", explode)
    assert main(["--db", str(tmp_path / "w.cmdesk"), "info"]) == 70
    err = capsys.readouterr().err
    assert "RuntimeError: something odd" in err
    assert "cmdesk.log" in err
    assert "Traceback" not in err


def test_commands_that_need_no_network_or_secret_do_not_import_them():
    """Every command builds the whole parser: listening, keyring and OPML load only when used."""
    code = (
        "import sys\n"
        "from cmdesk.cli.main import build_parser\n"
        "build_parser().parse_args(['report', '--from', '2026-01-01', '--to', '2026-01-31'])\n"
        "heavy = ('cmdesk.listening', 'httpx', 'feedparser', 'keyring', 'defusedxml', 'dateutil')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_sources_add_help_lists_each_search_option(capsys):
    try:
        main(["sources", "add", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "--tag TAG" in out and "--secret-env VAR" in out and "--no-discover" in out


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    """``cmdesk … | head -1``: no error line when the pipe closes, exit status 0."""
    db = tmp_path / "w.cmdesk"
    subprocess.run([sys.executable, "-m", "cmdesk", "--db", str(db), "info"], check=True,
                   capture_output=True)  # fmt: skip
    command = f"{sys.executable} -m cmdesk --db {db} info | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    assert done.stdout.startswith("workspace:")
    assert done.stderr == "" and done.returncode == 0
