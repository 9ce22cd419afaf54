"""The simulated Exchange Server: installation media, Setup.exe command line, readiness rules, setup runs,
ExchangeSetup.log, install state on the Windows model, verification answers.

Written from ../shared/reference/exchange-facts.md (cited as "exchange-facts §x.y [Sn]"); never imports product code.
"""
