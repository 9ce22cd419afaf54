# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preparing Active Directory as its own step, before setup (`rpi_exchange_ad_preparation: separate`; issue 17, item 3).

By default (`with_setup`) /Mode:Install or /Mode:Upgrade extends the schema and prepares the organisation and the domain
itself. An RPI that wants those forest-wide changes seen and checked on their own runs them first, as Microsoft
documents [S1 "Prepare Active Directory and domains for Exchange Server"]: `Setup.exe /PrepareSchema`, then
`Setup.exe /PrepareAD` (with /OrganizationName when the organisation does not exist yet: the first server), each with
the licence switch (Microsoft requires it for every unattended command, /Prepare* included), and only then the server's
own setup, once the new values are visible on the domain controller the server uses.

What is still to prepare comes from activity 2's Active Directory decision (`plugin_utils/_preflight/ad_readiness.py`:
`prepares`, a list of `schema`, `organization`, `domain`): nothing left means nothing to run, so a re-run skips it.
/PrepareAD also prepares the local domain, so `domain` alone is a /PrepareAD too.

A preparation run is a setup command without /Mode: the command line is built here with the catalogue's switch rules,
and run by `rpi.exchange.exchange_ad_prepare` the way setup itself runs (a scheduled task as the setup account, watched
to its end, its log triaged).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import find_switch, parse_version, render_switch, validate_switch
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switches import LICENSE_SWITCHES
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import PREPARE_AD, PREPARE_SCHEMA
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import (
    PlanError,
    SetupCommand,
    assert_no_secret,
    setup_executable,
)

# rpi_exchange_ad_preparation (declared with these choices in roles/begin_installation/meta/argument_specs.yml, so
# rpi.exchange.run_inputs checks it in activity 2 before any change).
WITH_SETUP = "with_setup"
SEPARATE = "separate"

# The steps, in the order Microsoft runs them, and the /Prepare* switch of each.
STEP_SCHEMA = "schema"
STEP_AD = "ad"
STEPS = (STEP_SCHEMA, STEP_AD)
OPERATION_OF_STEP = {STEP_SCHEMA: PREPARE_SCHEMA, STEP_AD: PREPARE_AD}
# What each step leaves prepared (the AD decision's `prepares` words).
PREPARES_OF_STEP = {STEP_SCHEMA: ("schema",), STEP_AD: ("organization", "domain")}

_STEP_WORDS = {
    STEP_SCHEMA: ("la extensión del esquema de Active Directory (/PrepareSchema)", "the Active Directory schema extension (/PrepareSchema)"),
    STEP_AD: ("la preparación de la organización y del dominio (/PrepareAD)", "the organisation and domain preparation (/PrepareAD)"),
}


def step_words(step: str, language: str = "es") -> str:
    es, en = _STEP_WORDS[step]
    return en if language == "en" else es


def steps_for(prepares: Iterable[str] | None) -> list[str]:
    """The preparation steps still to run for the AD decision's `prepares`, in order; empty: all prepared."""
    wanted = {str(item).lower() for item in prepares or ()}
    return [step for step in STEPS if wanted & set(PREPARES_OF_STEP[step])]


def organization_for(step: str, ad_decision: Mapping[str, Any] | None) -> str | None:
    """/OrganizationName for /PrepareAD when the organisation does not exist yet (a first server), else None."""
    if step != STEP_AD:
        return None
    decision = ad_decision or {}
    current = decision.get("current") or {}
    if current.get("organization"):
        return None  # the organisation exists: /PrepareAD updates it and takes no name
    return str(decision.get("organization_name") or "").strip() or None


def build_prepare_command(step: str, *, media_root: str, media_version: str, license_switch: str,
                          organization_name: str | None = None, domain_controller: str | None = None,
                          forbidden_values: Iterable[str] = ()) -> SetupCommand:
    """`Setup.exe <licence> /PrepareSchema` or `Setup.exe <licence> /PrepareAD [/OrganizationName:..]`, with
    `/DomainController` when given; PlanError lists every problem."""
    if step not in OPERATION_OF_STEP:
        raise PlanError([f"'{step}' is not a preparation step ({', '.join(STEPS)})."])
    operation = OPERATION_OF_STEP[step]
    try:
        build = parse_version(media_version)
    except ValueError as error:
        raise PlanError([f"'{media_version}' is not an Exchange version."]) from error
    executable, working_directory = setup_executable(media_root)
    accepted = find_switch(license_switch)
    if accepted is None or accepted.name not in LICENSE_SWITCHES:
        raise PlanError([f"'{license_switch}' is not a licence switch (activity 6's acceptance record gives it)."])
    problems = list(validate_switch(accepted.name, None, operation, None, build))
    arguments = [render_switch(accepted.name, None), render_switch(operation, None)]
    options: list[tuple[str, Any]] = []
    if organization_name:
        if step != STEP_AD:
            problems.append("/OrganizationName goes with /PrepareAD only.")
        options.append(("OrganizationName", organization_name))
    if domain_controller:
        options.append(("DomainController", domain_controller))
    for name, value in options:
        problems += validate_switch(name, value, operation, None, build)
        arguments.append(render_switch(name, value))
    if problems:
        raise PlanError(problems)
    assert_no_secret(arguments, forbidden_values)
    return SetupCommand(executable=executable, arguments=tuple(arguments), working_directory=working_directory, mode=operation)
