"""What exchange_media decides (plugins/plugin_utils/_server/media.py): sources, hashes, what the media is."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import media as mp
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload

HASH = "F37F60E771ED0612FABF505610244A623CB0D1FC70674A5DC5559BC4AD758423"
SHARE_ISO = "\\\\rpi-fs01\\instaladores\\Exchange\\ExchangeServerSE-x64.iso"
LOCAL_ISO = "C:\\RPI\\Exchange\\ExchangeServerSE-x64.iso"


def source(**kwargs):
    options = {"iso": None, "src": None, "dest": None, "sha256": HASH, "state": "mounted"}
    options.update(kwargs)
    return mp.read_source(**options)


def codes(problems):
    return [problem.code for problem in problems]


# ------------------------------------------------------------------------------------------------ sources
def test_server_path_is_used_in_place():
    media, problems = source(iso=LOCAL_ISO)
    assert not problems and media == mp.MediaSource("server", LOCAL_ISO)
    assert not media.staged


def test_share_in_place_or_staged():
    media = source(iso=SHARE_ISO)[0]
    assert media.origin == "share" and media.image_path == SHARE_ISO and not media.staged
    media = source(iso=SHARE_ISO, dest="C:\\RPI\\Exchange\\")[0]
    assert media.image_path == LOCAL_ISO and media.stage_from == SHARE_ISO
    media = source(iso=SHARE_ISO, dest="D:\\Medios\\se.iso")[0]
    assert media.image_path == "D:\\Medios\\se.iso"


def test_local_iso_already_in_dest_is_not_copied():
    media = source(iso=LOCAL_ISO, dest="c:\\rpi\\exchange")[0]
    assert not media.staged and media.image_path == LOCAL_ISO
    media = source(iso=LOCAL_ISO, dest="D:\\Medios")[0]
    assert media.stage_from == LOCAL_ISO and media.image_path == "D:\\Medios\\ExchangeServerSE-x64.iso"


def test_controller_copy_needs_dest():
    media = source(src="/srv/isos/ExchangeServerSE-x64.iso", dest="C:\\RPI\\Exchange")[0]
    assert media.origin == "controller" and media.image_path == LOCAL_ISO
    problems = source(src="/srv/isos/ExchangeServerSE-x64.iso")[1]
    assert codes(problems) == ["dest_missing"]


@pytest.mark.parametrize("kwargs, code", [
    ({}, "iso_or_src"),
    ({"iso": LOCAL_ISO, "src": "/x.iso", "dest": "C:\\x"}, "iso_or_src"),
    ({"iso": LOCAL_ISO, "sha256": None}, "sha256_missing"),
    ({"iso": LOCAL_ISO, "sha256": "  "}, "sha256_missing"),
    ({"iso": LOCAL_ISO, "sha256": "abc123"}, "sha256_invalid"),
    ({"iso": "ExchangeServerSE-x64.iso"}, "iso_not_absolute"),
    ({"iso": SHARE_ISO, "dest": "\\\\otro\\recurso"}, "dest_is_share"),
    ({"iso": LOCAL_ISO, "state": "ejected"}, "state_invalid"),
])
def test_refusals(kwargs, code):
    media, problems = source(**kwargs)
    assert media is None and code in codes(problems)


def test_inspection_needs_the_hash_too():
    assert codes(source(iso=LOCAL_ISO, sha256=None, state="inspected")[1]) == ["sha256_missing"]


def test_unmount_needs_no_hash():
    media, problems = source(iso=LOCAL_ISO, sha256=None, state="unmounted")
    assert not problems and media.image_path == LOCAL_ISO


# ------------------------------------------------------------------------------------------------ hashes
def test_sha256_spellings():
    assert mp.normalize_sha256(HASH) == HASH.lower()
    assert mp.normalize_sha256("sha256:" + HASH.lower()) == HASH.lower()
    assert mp.normalize_sha256(HASH[:60]) is None and mp.normalize_sha256(None) is None


def test_hash_mismatch_gives_both_hashes_and_the_fix():
    assert mp.hash_problem(LOCAL_ISO, HASH.lower(), HASH.lower()) is None
    other = "0" * 64
    problem = mp.hash_problem(LOCAL_ISO, HASH.lower(), other)
    es, en = problem.message("es"), problem.message("en")
    assert problem.code == "sha256_mismatch" and problem.option == "sha256"
    assert HASH.lower() in es and other in es and "No se montó" in es and "inventario" in es
    assert "was not mounted" in en


def test_not_found_on_a_share_mentions_the_double_hop():
    assert "doble salto" in mp.not_found_problem(SHARE_ISO, "iso").message("es")
    assert "doble salto" not in mp.not_found_problem(LOCAL_ISO, "iso").message("es")


# ------------------------------------------------------------------------------------------------ what the media is
@pytest.mark.parametrize("parts, text, version, label, edition", [
    (("15", "2", "1544", "4"), "15.02.1544.004", "15.2.1544.4", "2019 CU14", "2019"),
    (("15", "2", "1748", "10"), "15.02.1748.010", "15.2.1748.10", "2019 CU15", "2019"),
    (("15", "2", "1748", "8"), "15.02.1748.008", "15.2.1748.8", "2019 CU15", "2019"),  # Install-Exchange15's reading
    (("15", "2", "2562", "17"), "15.02.2562.017", "15.2.2562.17", "SE RTM", "SE"),
    (("0", "0", "0", "0"), "15.02.2562.017", "15.2.2562.17", "SE RTM", "SE"),  # no fixed block: the text
])
def test_version_from_win_file_version(parts, text, version, label, edition):
    answer = {"win_file_version": dict(zip(("file_major_part", "file_minor_part", "file_build_part", "file_private_part"), parts),
                                       file_version=text)}
    read = mp.version_from_file_version(answer)
    info, problem = mp.describe_version(read)
    assert problem is None and read == version
    assert (info["label"], info["edition"]) == (label, edition)


def test_media_that_is_not_2019_or_se():
    info, problem = mp.describe_version("15.1.2507.6")
    assert problem.code == "media_not_supported" and info["edition"] is None
    assert mp.describe_version(None)[1].code == "setup_version_unreadable"
    assert mp.version_from_file_version({"win_file_version": {"file_version": ""}}) is None


def test_drive_and_paths():
    assert mp.drive_of(["e:\\"]) == "E" and mp.drive_of([]) is None and mp.drive_of(None) is None
    assert mp.join_media("E", "Setup\\ServerRoles\\Common\\License.rtf") == "E:\\Setup\\ServerRoles\\Common\\License.rtf"
    assert mp.DEFAULT_LICENSE_FILE_NAMES[0] == "License.rtf"


def test_evidence_follows_the_report_contract():
    media = source(iso=SHARE_ISO, dest="C:\\RPI\\Exchange")[0]
    info = mp.describe_version("15.2.2562.17")[0]
    problem = mp.hash_problem(LOCAL_ISO, HASH.lower(), "0" * 64)
    items = [mp.hash_evidence(LOCAL_ISO, HASH.lower()), mp.stage_evidence(media, True), mp.stage_evidence(media, False),
             mp.media_evidence(info, "E", "E:\\License.rtf", "ab" * 32, True), mp.media_evidence(info, "E", None, None, False, True),
             mp.plan_evidence(media, True, True), mp.unmount_evidence(LOCAL_ISO, True),
             mp.refusal_evidence((problem,), "Medio rechazado", "Media refused")]
    payload = normalize_payload({"evidence": items})
    assert not payload.problems, payload.problems
    assert [item["kind"] for item in payload.evidence] == ["check", "change", "check", "version", "version", "plan", "change", "check"]
    assert payload.evidence[3]["details"]["label"] == "SE RTM" and payload.evidence[4]["level"] == "warning"
    assert "solo para leerlo" in payload.evidence[4]["summary_es"]
