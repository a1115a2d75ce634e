#!/bin/sh
# Counts of the edges' shape, for issue 9's before/after: run from the repository root.
cd "$(dirname "$0")/.." || exit 1
src="app components"
count() { printf '%-58s %s\n' "$1" "$2"; }
count "guard wrappers (withApiActor|withTeamSession|teamAction|adminFormAction|requireAdmin) in app/" \
  "$(grep -rhoE '\b(withApiActor|withTeamSession|teamAction|adminFormAction|requireAdmin)\(' $src | sort | uniq -c | wc -l)"
count "distinct error serializers (apiError|jsonError|toActionError|errorResponse)" \
  "$(grep -rhoE 'export (const|function) (apiError|jsonError|toActionError|errorResponse|errorRecord)\b' lib app | sort -u | wc -l)"
count "files in app/ components/ importing the database client" "$(grep -rlE 'from \"@/lib/db/client\"' $src | wc -l)"
count "Prisma calls in app/ components/ (db.<model>.<op>)" \
  "$(grep -rhoE '\b(db|db\(\))\.[a-zA-Z]+\.(findUnique|findUniqueOrThrow|findFirst|findMany|count|aggregate|groupBy|create|update|upsert|delete|updateMany|deleteMany|createMany)\(' $src | wc -l)"
count "files in app/ constructing a Stripe client (stripeClient)" "$(grep -rlE '\bstripeClient\(' $src | wc -l)"
count "route.ts files" "$(find app -name route.ts | wc -l)"
count "bigint .toString() in app/api routes" "$(grep -rhoE '\.toString\(\)' app/api | wc -l)"
count "client fetch helpers (sendJson|fetch() in components/app client files" "$(grep -rlE 'sendJson\(|await fetch\(' $src | wc -l)"
count "lines over 160 columns in app/" "$(find app -name '*.ts*' -exec awk 'length > 160' {} + | wc -l)"
