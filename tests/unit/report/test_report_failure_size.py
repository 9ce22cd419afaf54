"""The failure section keeps a refusal that names many inputs whole (report/failure.py)."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import failure


def test_a_refusal_naming_every_input_is_kept_whole_in_the_failure():
    lines = "\n".join(f"- variable_{number}: Está vacío: null o ~ en YAML (actividad 7). Escriba un texto, o quite la línea "
                      f"para usar el valor por omisión." for number in range(40))
    message = f"Datos de la ejecución no válidos (40):\n{lines}\nCorrija y vuelva a ejecutar la instalación."
    assert len(message) > 4000 and failure.truncate(message, failure.MAX_MSG) == message
