"""The two Spanish guides read as the manual does and as one text: issue 20, items 10 to 12.

What can be checked as text: each guide ends with a glossary whose terms it uses; one term per thing
("equipo de control" for the Ansible machine, "controlador" only in "controlador de dominio", "bloqueo de
ejecución", never "candado"); no colloquialisms; activity 1 is the IT Head's; norm 5.6 keeps the manual's
"con las consultas a su jefe inmediato superior"; the manual's planned times are explained against an
automated run; the technician's guide alone prepares a real run; the inventory template speaks Spanish.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TECHNICIAN = "docs/guia-tecnico.md"
IT_HEAD = "docs/guia-encargado-ti.md"
GUIDES = (TECHNICIAN, IT_HEAD)

# Terms every glossary defines, and the one spelling each guide uses for them.
GLOSSARY_TERMS = ("Bloqueo de ejecución", "Controlador de dominio", "Equipo de control", "Prerrequisitos", "Verificación",
                  "Simulacro", "Informe de la ejecución", "Instrucción")
# Words with another meaning, or too colloquial for a guide of the RPI (the word alone, any case).
COLLOQUIAL = ("murió", "muere", "cae", "caen", "cayó", "caído", "caída", "rómpalo", "romper", "rompa", "rompió", "roto",
              "escalar", "candado")
# Another name for the run lock or the prerequisites than the glossary's.
OTHER_NAMES = ("candado", "software previo")
NORM_5_6 = "con las consultas a su jefe inmediato superior"
# Item 11: what the technician needs to prepare a real run, as the guide must show it.
PREPARATION = {
    "WinRM HTTPS listener": r"New-Item -Path WSMan:\\localhost\\Listener -Transport HTTPS",
    "the RPI's certificate on the listener": r"-CertificateThumbPrint",
    "exporting the CA": r"Export-Certificate",
    "the CA in PEM": r"certutil -encode|openssl x509 -inform DER",
    "the CA where the inventory reads it": r"ansible_winrm_ca_trust_path",
    "opening 5986": r"New-NetFirewallRule[^\n]*\n[^\n]*-LocalPort 5986",
    "a krb5.conf example": r"/etc/krb5\.conf[\s\S]*\[realms\][\s\S]*RPI\.GOB\.GT = \{",
    "Kerberos packages": r"pywinrm\[kerberos\]",
    "ansible-vault create": r"ansible-vault create ",
    "ansible-vault edit": r"ansible-vault edit ",
    "rpi_exchange_technician": r"rpi_exchange_technician:\n  name: \"[^\n]+\n  position: \"",
    "a working folder for an installed collection": r"ansible-playbook rpi\.exchange\.new_workspace -e dest=",
    "the report enabled from an installed collection": r"callbacks_enabled = rpi\.exchange\.procedure_report",
    "where the report goes": r"report_dir = ",
    "media on a local disk (double hop)": r"doble salto[\s\S]*disco local",
    "a connection test": r"ansible\.windows\.win_ping",
}


def read(document: str) -> str:
    return (ROOT / document).read_text(encoding="utf-8")


def flat(text: str) -> str:
    """The text with line breaks and repeated spaces as one space, as a reader sees wrapped lines."""
    return re.sub(r"\s+", " ", text)


def split_glossary(text: str) -> tuple[str, str]:
    match = re.search(r"^## \d+\. Glosario$", text, flags=re.MULTILINE)
    assert match, "the guide ends with a '## N. Glosario' section"
    body, glossary = text[:match.start()], text[match.end():]
    assert not re.search(r"^## ", glossary, flags=re.MULTILINE), "the glossary is the last section"
    return body, glossary


def glossary_terms(glossary: str) -> list[str]:
    rows = [line for line in glossary.splitlines() if line.startswith("| ") and not line.startswith("| Término")]
    return [row.split("|")[1].strip() for row in rows]


@pytest.mark.parametrize("document", GUIDES)
def test_each_guide_ends_with_a_glossary_of_the_terms_it_uses(document):
    body, glossary = split_glossary(read(document))
    terms = glossary_terms(glossary)
    missing = [term for term in GLOSSARY_TERMS if term not in terms]
    assert missing == [], f"{document}: the glossary lacks {missing}"
    unused = [term for term in terms if term.lower() not in flat(body).lower()]
    assert unused == [], f"{document}: the glossary defines terms the guide never uses: {unused}"


@pytest.mark.parametrize("document", GUIDES)
def test_controlador_is_only_the_domain_controller(document):
    text = flat(read(document))
    alone = [match.group(0) for match in re.finditer(r"\bcontrolador(?:es)?\b(?! de dominio)[^.|]{0,30}", text, flags=re.IGNORECASE)]
    assert alone == [], f"{document}: the Ansible machine is the 'equipo de control': {alone}"
    assert "equipo de control" in text


@pytest.mark.parametrize("document", GUIDES)
def test_no_colloquialisms_and_one_name_per_thing(document):
    text = read(document)
    found = sorted({word for word in COLLOQUIAL if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE)})
    assert found == [], f"{document}: colloquial or ambiguous words {found}"
    other = [name for name in OTHER_NAMES if name in text.lower()]
    assert other == [], f"{document}: use the glossary's term instead of {other}"
    assert "bloqueo de ejecución" in text.lower() and "prerrequisitos" in text.lower()


@pytest.mark.parametrize("document", GUIDES)
def test_activity_1_is_the_it_heads(document):
    text = flat(read(document))
    assert not re.search(r"ejecut\w* (?:las )?actividades 1 a 11", text, flags=re.IGNORECASE), \
        f"{document}: the technician does not execute activity 1; the IT Head instructs it"
    assert re.search(r"ejecut\w* las actividades 2 a 11", text), f"{document}: the technician executes activities 2 to 11"
    assert re.search(r"La actividad 1 es (?:suya|del \*\*Encargado del Departamento de Tecnologías de la Información\*\*)", text), \
        f"{document}: say that activity 1 is the IT Head's"


def test_the_it_heads_table_names_him_responsible_for_activities_1_and_12():
    rows = {int(line.split("|")[1]): line.split("|")[3].strip() for line in read(IT_HEAD).splitlines()
            if re.match(r"^\| \d+ \| ", line)}
    assert rows[1] == rows[12] == "Encargado de TI"
    assert {rows[number] for number in range(2, 12)} == {"Técnico"}


@pytest.mark.parametrize("document", GUIDES)
def test_norm_5_6_keeps_the_manuals_words(document):
    assert NORM_5_6 in flat(read(document)), f"{document}: norm 5.6 says '{NORM_5_6}'"


@pytest.mark.parametrize("document", GUIDES)
def test_the_manuals_times_are_explained_against_an_automated_run(document):
    body, _glossary = split_glossary(read(document))
    section = flat(body.split("### 1.1 Los tiempos del manual y los de una ejecución automatizada", 1)[1].split("\n## ", 1)[0])
    for says in ("Actividades 3 a 7", "duran segundos", "Actividad 8", "Setup.exe", "Actividad 9", "1 a 2 horas", "20 minutos"):
        assert says in section, f"{document}: the time section does not say '{says}'"


@pytest.mark.parametrize("step, pattern", sorted(PREPARATION.items()))
def test_the_technicians_guide_alone_prepares_a_real_run(step, pattern):
    assert re.search(pattern, read(TECHNICIAN)), f"{TECHNICIAN} does not show {step}"


def test_the_inventory_templates_comments_are_spanish():
    english = re.compile(r"\b(?:the|and|of|for|with|must|where|only|never|put|set)\b", flags=re.IGNORECASE)
    template = ROOT / "inventories" / "rpi"
    files = sorted(path for path in template.rglob("*") if path.is_file())
    assert files
    for path in files:
        comments = [line.split("#", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
        english_lines = [comment for comment in comments if english.search(comment)]
        assert english_lines == [], f"{path.relative_to(ROOT)}: comments in English {english_lines}"
