#!/bin/sh
# Revisión y validación de la instalación (actividad 12 del manual ME-VAR-RPI-MNP-15), para el Encargado de TI.
# Escrito por «ansible-playbook rpi.exchange.new_workspace» en la carpeta de trabajo; se ejecuta desde ella:
#
#   ./revisar.sh                                         lista las ejecuciones de la carpeta de informes
#   ./revisar.sh <id>                                    comprueba que el informe esté íntegro y muestra su resumen
#   ./revisar.sh <id> validar "<su nombre>" ["<comentario>"]     registra la validación en el informe
#   ./revisar.sh <id> devolver "<su nombre>" "<comentario>"      lo devuelve al técnico para corrección
#   ./revisar.sh <id> validar-ensayo "<su nombre>" ["<comentario>"]   decide sobre un ensayo (modo de comprobación)
#
# No necesita inventario, bóveda (vault) ni contraseña: la revisión trata sobre el informe (docs/least-privilege.md).
set -eu
cd "$(dirname "$0")"

if [ "$#" -eq 0 ]; then
  exec ansible-playbook rpi.exchange.review_installation -e '{"rpi_exchange_review": {"list_only": true}}'
fi

run_id=$1
action=${2:-}
rehearsal=false
case "$action" in
  "") decision="" ;;
  validar) decision=validated ;;
  devolver) decision=returned ;;
  validar-ensayo) decision=validated; rehearsal=true ;;
  devolver-ensayo) decision=returned; rehearsal=true ;;
  *)
    echo "«$action» no es una acción: use validar, devolver, validar-ensayo o devolver-ensayo (vea ./revisar.sh sin argumentos)." >&2
    exit 2 ;;
esac
if [ -n "$decision" ] && [ "$#" -lt 3 ]; then
  echo "Falta su nombre: ./revisar.sh $run_id $action \"<su nombre>\" \"<comentario>\"" >&2
  exit 2
fi

# The review's variables as JSON, written by Python (Ansible's own interpreter is there) so that any name or
# comment, quotes included, reaches the review as typed.
review=$(python3 -c '
import json, sys
run_id, decision, rehearsal, name, comment = sys.argv[1:6]
review = {"run_id": run_id}
if decision:
    review.update(decision=decision, name=name, comment=comment, rehearsal=rehearsal == "true")
print(json.dumps({"rpi_exchange_review": review}, ensure_ascii=False))
' "$run_id" "$decision" "$rehearsal" "${3:-}" "${4:-}")
exec ansible-playbook rpi.exchange.review_installation -e "$review"
