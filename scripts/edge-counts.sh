#!/bin/sh
# Counts of the edges' shape (issue 9's before/after): run from anywhere in the repository.
cd "$(dirname "$0")/.." || exit 1
src="app components"
count() { printf '%-78s %s\n' "$1" "$2"; }
count "old guard wrappers used in app/ (withApiActor|withTeamSession|teamAction|adminFormAction|requireAdmin)" \
  "$(grep -rhoE '\b(withApiActor|withTeamSession|teamAction|adminFormAction|requireAdmin)\(' $src | sort -u | wc -l)"
count "pipeline builders used in app/ (route|action|formAction from lib/edge)" "$(grep -rhoE '= (route|action|formAction)\(' $src | sort -u | wc -l)"
count "error serializers (apiError|jsonError|toActionError|zodFieldError|errorResponse|toRefusal)" \
  "$(grep -rhoE 'export (const|function) (apiError|jsonError|toActionError|zodFieldError|errorResponse|toRefusal)\b' lib app | sort -u | wc -l)"
count "files in app/ components/ importing lib/db" "$(grep -rlE 'from "@/lib/db/' $src | wc -l)"
count "Prisma calls in app/ components/ (db.<model>.<op>)" \
  "$(grep -rhoE '\b(db|db\(\))\.[a-zA-Z]+\.(findUnique|findUniqueOrThrow|findFirst|findMany|count|aggregate|groupBy|create|update|upsert|delete|updateMany|deleteMany|createMany)\(' $src | wc -l)"
count "files in app/ constructing a Stripe client (stripeClient)" "$(grep -rlE '\bstripeClient\(' $src | wc -l)"
count "route.ts files / contract.ts files" "$(find app -name route.ts | wc -l) / $(find app -name contract.ts | wc -l)"
count "bigint .toString() in app/api routes" "$(grep -rhoE '\.toString\(\)' app/api | wc -l)"
count "client files calling fetch()/sendJson( directly" "$(grep -rlE 'sendJson\(|await fetch\(' $src | wc -l)"
count "mutation channels in client code (useActionState|useTransition|sendJson)" "$(grep -rhoE '\b(useActionState|useTransition|sendJson)\(' $src | sort -u | wc -l)"
count "lines over 160 columns in app/" "$(find app -name '*.ts*' -exec awk 'length > 160' {} + | wc -l)"
