"""``sentinelle catalog …`` through click's CliRunner: JSON shapes, exit codes, help examples."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sentinelle.catalog.cli import catalog

DATA = Path(__file__).parent / "data"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(catalog, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_list_json_is_an_array_of_services() -> None:
    code, out, _ = run("list", "--json")
    rows = json.loads(out)
    assert code == 0 and isinstance(rows, list) and len(rows) >= 200
    assert {"id", "name", "category"} <= set(rows[0])
    assert {r["id"] for r in rows} >= {"chatgpt", "claude", "gemini", "copilot", "le-chat"}


def test_list_filters_by_category_and_adds_policy_status() -> None:
    code, out, _ = run(
        "list", "--category", "assistant", "--json", "--policy", str(DATA / "policy.yaml")
    )
    rows = json.loads(out)
    assert code == 0 and {r["category"] for r in rows} == {"assistant"}
    status = {r["id"]: r["status"] for r in rows}
    assert status["chatgpt"] == "blocked" and status["chu-assistant"] == "sanctioned"


def test_list_table_and_extension_catalog() -> None:
    code, out, _ = run("list", "--catalog", str(DATA / "extra.yaml"), "--category", "assistant")
    assert code == 0 and "chu-tool" in out and "+local." in out


def test_show() -> None:
    code, out, _ = run("show", "chatgpt", "--json")
    svc = json.loads(out)
    assert code == 0 and svc["id"] == "chatgpt"
    assert {
        "domain": "chatgpt.com",
        "match": "suffix",
        "path": None,
        "evidence": "primary",
        "rule": "suffix:chatgpt.com",
    } in svc["domains"]
    code, out, _ = run("show", "copilot-m365")
    assert code == 0 and "path:m365.cloud.microsoft/chat" in out


def test_show_unknown_id_exits_4_with_suggestion() -> None:
    code, _, err = run("show", "chatgtp")
    assert code == 4 and "no service with id 'chatgtp'" in err and "chatgpt" in err


@pytest.mark.parametrize(
    ("value", "service", "rule", "evidence"),
    [
        ("chatgpt.com", "chatgpt", "suffix:chatgpt.com", "primary"),
        ("CHATGPT.COM:443", "chatgpt", "suffix:chatgpt.com", "primary"),
        (
            "https://m365.cloud.microsoft/chat/?x=1",
            "copilot-m365",
            "path:m365.cloud.microsoft/chat",
            "primary",
        ),
        ("cdn.oaistatic.com", "chatgpt", "suffix:oaistatic.com", "auxiliary"),
        ("notchatgpt.com", None, None, None),
        ("[2001:db8::1]:443", None, None, None),
    ],
)
def test_explain_json_shape(
    value: str, service: str | None, rule: str | None, evidence: str | None
) -> None:
    code, out, _ = run("explain", value, "--json")
    obj = json.loads(out)
    assert code == 0
    assert {"service", "rule", "evidence", "reason"} <= set(obj)
    assert (obj["service"], obj["rule"], obj["evidence"]) == (service, rule, evidence)
    assert obj["reason"]


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("notchatgpt.com", "label boundary differs"),
        ("chatgpt.com.example.net", "belongs to example.net"),
        ("gemini.com", "cryptocurrency exchange"),
        ("copilot.ai", "unrelated to Microsoft Copilot"),
        ("m365.cloud.microsoft", "needs a URL path under /chat"),
        ("10.1.2.3", "IP literal"),
        ("help.openai.com", "never counted"),
        ("cdn.oaistatic.com", "also has a primary hit"),
        ("gemini.google.com", "counted as use"),
    ],
)
def test_explain_reasons(value: str, needle: str) -> None:
    code, out, _ = run("explain", value, "--json")
    assert code == 0 and needle in json.loads(out)["reason"]
    code, out, _ = run("explain", value)
    assert code == 0 and out.strip()


def test_check_bundled_passes_and_bad_files_fail() -> None:
    code, out, _ = run("check")
    assert code == 0 and "OK" in out
    code, _, err = run("check", str(DATA / "dup.yaml"))
    assert code == 4 and "dup.yaml" in err and "also claimed by 'one'" in err
    code, _, err = run("check", str(DATA / "broad.yaml"))
    assert code == 4 and "google.com is too broad" in err
    code, _, err = run("check", str(DATA / "missing.yaml"))
    assert code == 4 and "cannot read catalog file" in err


def test_every_command_documents_an_example() -> None:
    assert "Example:" in (catalog.help or "")
    for name, cmd in catalog.commands.items():
        assert "Example:" in (cmd.help or ""), name
        assert "\b" in (cmd.help or ""), name
        assert "sentinelle catalog " + name in (cmd.help or ""), name
    assert isinstance(catalog, click.Group) and catalog.name == "catalog"
