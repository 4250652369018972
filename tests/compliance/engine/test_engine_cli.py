"""The `bedside scan` command (cli.main), in-process and as `python -m`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedside.compliance.engine.cli import main

SRC = Path(__file__).resolve().parents[3] / "src"


class _Std:
    """Binary stdin/stdout stand-ins with a .buffer, as sys.stdin/sys.stdout have."""

    def __init__(self, data: bytes = b"") -> None:
        self.buffer = io.BytesIO(data)


def run(
    argv: list[str], stdin: bytes = b"", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, list, str]:
    assert monkeypatch is not None
    out, err = _Std(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", _Std(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    text = out.buffer.getvalue().decode()
    lines = (
        [json.loads(line) for line in text.splitlines()]
        if "--format" not in argv
        else text.splitlines()
    )
    return code, lines, err.getvalue()


def jl(*objs: object) -> bytes:
    return b"".join(json.dumps(o).encode() + b"\n" for o in objs)


def test_good_lines_give_one_result_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = jl(
        {"id": 1, "text": "Thanks Maria, glad the new meds are working!", "kind": "review_reply"},
        {"id": "b", "text": "Flossing daily prevents cavities.", "kind": "post"},
    )
    code, lines, err = run([], stdin, monkeypatch)
    assert code == 0 and err == ""
    assert [(line["id"], line["verdict"]) for line in lines] == [(1, "block"), ("b", "pass")]
    assert lines[0]["findings"][0] == {
        "start": 7,
        "end": 12,
        "category": "name",
        "severity": "block",
        "explanation": "A person's first name.",
        "suggestion": "[name removed]",
    }
    assert lines[1]["findings"] == []


def test_bad_lines_give_error_lines_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = (
        b"this is not json\n"
        + jl({"id": 2, "kind": "post"})
        + b'{"id": 3, "text": "caf\xe9 au lait"}\n'
        + jl({"id": 4, "text": "hi", "context": {"staff": "Dr. Raman"}})
        + jl({"id": 5, "text": 42})
        + jl({"id": 6, "text": "All good here."})
    )
    code, lines, _ = run([], stdin, monkeypatch)
    assert code == 0
    assert lines == [
        {"id": None, "error": lines[0]["error"]},
        {"id": 2, "error": "line 2: text missing"},
        {"id": 3, "error": "line 3: invalid UTF-8 at byte 22"},
        {"id": 4, "error": "line 4: context.staff: must be a list, not str"},
        {"id": 5, "error": "line 5: text must be a string, not int"},
        {"id": 6, "verdict": "pass", "findings": []},
    ]
    assert lines[0]["error"].startswith("line 1: not JSON")


def test_line_context_overrides_the_context_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given --context naming Dr. Raman as staff
    ctx_file = tmp_path / "ctx.json"
    ctx_file.write_text(json.dumps({"staff": ["Dr. Priya Raman"]}))
    stdin = jl(
        {"id": "file", "text": "Dr. Raman says hi"},
        {"id": "line", "text": "Dr. Raman says hi", "context": {"staff": ["Dr. Amir Patel"]}},
    )
    code, lines, _ = run(["--context", str(ctx_file)], stdin, monkeypatch)
    # then the file's context allows him, the line's own context does not
    assert code == 0
    assert [(line["id"], line["verdict"]) for line in lines] == [("file", "pass"), ("line", "warn")]


def test_file_argument_and_leading_scan_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "in.jsonl"
    data.write_bytes(jl({"id": 1, "text": "Call 737-555-0188"}) + b"\n")
    code, lines, _ = run(["scan", str(data)], b"", monkeypatch)
    assert code == 0
    assert [(line["id"], line["verdict"]) for line in lines] == [(1, "block")]


def test_table_format(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = jl({"id": 7, "text": "Call 737-555-0188"}, {"id": 8, "text": "Hello"}, {"id": 9})
    code, lines, _ = run(["--format", "table"], stdin, monkeypatch)
    assert code == 0
    assert lines == [
        "ID\tVERDICT\tFINDINGS",
        "7\tblock\tphone[block]@5-17",
        "8\tpass\t-",
        "9\terror\tline 3: text missing",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["/no/such/file.jsonl"],
            "bedside scan: cannot read /no/such/file.jsonl: No such file or directory\n",
        ),
        (
            ["--context", "/no/such/ctx.json"],
            "bedside scan: cannot read context /no/such/ctx.json: No such file or directory\n",
        ),
        (
            ["--format", "xml"],
            "bedside scan: argument --format: invalid choice: 'xml' (choose from 'jsonl', 'table')\n",
        ),
        (["--bogus"], "bedside scan: unrecognized arguments: --bogus\n"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line(
    argv: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, lines, err = run(argv, b"", monkeypatch)
    assert code == 2
    assert lines == []
    assert err == message


def test_context_file_with_bad_json_or_types_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    code, _, err = run(["--context", str(bad_json)], b"", monkeypatch)
    assert (
        code == 2
        and err.startswith(f"bedside scan: context {bad_json} is not valid JSON")
        and err.count("\n") == 1
    )
    bad_type = tmp_path / "type.json"
    bad_type.write_text(json.dumps({"staff": "Dr. Raman"}))
    code, _, err = run(["--context", str(bad_type)], b"", monkeypatch)
    assert (code, err) == (
        2,
        f"bedside scan: context {bad_type}: context.staff: must be a list, not str\n",
    )


def test_python_dash_m_runs_the_command_without_django(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_bytes(
        jl({"id": 1, "text": "Mrs. Okafor came in yesterday."}) + b'{"id": 2, "text": "\xff"}\n'
    )
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run(
        [sys.executable, "-m", "bedside.compliance.engine", str(data)],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line.get("verdict", "error") for line in lines] == ["block", "error"]
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bedside.compliance.engine.cli; print('django' in sys.modules)",
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert check.stdout.strip() == b"False"


def test_module_entry_point_exit_code_for_bad_arguments() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run(
        [sys.executable, "-m", "bedside.compliance.engine", "/no/such/file"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == b"bedside scan: cannot read /no/such/file: No such file or directory\n"


def test_text_only_streams_work_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # given stdin/stdout replaced by text streams (no .buffer), as some callers do
    out = io.StringIO()
    monkeypatch.setattr(
        sys, "stdin", io.StringIO('{"id": 1, "text": "Hi Maria", "kind": "review_reply"}\n')
    )
    monkeypatch.setattr(sys, "stdout", out)
    # when the command runs, then it reads and writes the same JSON lines
    assert main([]) == 0
    assert json.loads(out.getvalue())["verdict"] == "block"


def test_help_exits_0_and_missing_option_value_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _Std()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out.buffer, encoding="utf-8"))
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    code, _, err = run(["--context"], b"", monkeypatch)
    assert (code, err) == (2, "bedside scan: argument --context: expected one argument\n")
    code, _, err = run(["a.jsonl", "b.jsonl"], b"", monkeypatch)
    assert (code, err) == (2, "bedside scan: unrecognized arguments: b.jsonl\n")
