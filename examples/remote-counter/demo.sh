#!/usr/bin/env bash
# Runs the example end to end on 127.0.0.1, two nodes over the direct connection: a node serves the
# counter; other nodes increment it, read its total, try an unknown action, watch its state, and see
# it go down when it is killed. Exits non-zero, saying what differed, if anything is not as expected.
# CI runs it after building the jar; REMOTE_COUNTER overrides the command that runs the example.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=${REMOTE_COUNTER:-"java -jar $here/target/remote-counter.jar"}
out=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
fail() {
  echo "remote-counter demo: $*" >&2
  for f in "$out"/*; do echo "--- $(basename "$f")" >&2; cat "$f" >&2; done
  exit 1
}

$run serve --listen 127.0.0.1:0 >"$out/serve.out" 2>"$out/serve.err" &
server=$!
for _ in $(seq 1 600); do
  grep -q '^listening ' "$out/serve.out" && break
  kill -0 "$server" 2>/dev/null || fail "serve exited before it listened"
  sleep 0.1
done
grep -q '^listening ' "$out/serve.out" || fail "serve did not listen within 60 s"
[ "$(head -1 "$out/serve.out" | cut -d' ' -f1)" = node ] || fail "serve's first line is not 'node <did:key>'"
node=$(sed -n 's/^node //p' "$out/serve.out")
uri=$(sed -n 's/^listening //p' "$out/serve.out")
echo "serving node $node at $uri"

$run call --connect "$uri" --node "$node" increment 5 || fail "increment 5 failed"
$run call --connect "$uri" --node "$node" increment 7 || fail "increment 7 failed"
total=$($run call --connect "$uri" --node "$node" total) || fail "total failed"
[ "$total" = 12 ] || fail "total is '$total', expected 12"
echo "total $total"
if $run call --connect "$uri" --node "$node" frobnicate 2>"$out/unknown.err"; then
  fail "an unknown action exited 0"
fi
grep -q "unknown action 'frobnicate'" "$out/unknown.err" || fail "the unknown action's error does not name it"

$run watch --connect "$uri" --node "$node" --seconds 60 >"$out/watch.out" 2>"$out/watch.err" &
watcher=$!
for _ in $(seq 1 600); do
  grep -qx 'state 12' "$out/watch.out" && break
  sleep 0.1
done
grep -qx 'state 12' "$out/watch.out" || fail "watch did not print 'state 12'"
$run call --connect "$uri" --node "$node" increment 1 || fail "increment 1 failed"
for _ in $(seq 1 600); do
  grep -qx 'state 13' "$out/watch.out" && break
  sleep 0.1
done
grep -qx 'state 13' "$out/watch.out" || fail "watch did not follow to 'state 13'"
kill -9 "$server"
server=""
wait "$watcher" || fail "watch exited non-zero"
grep -q '^down ' "$out/watch.out" || fail "watch did not print 'down <reason>' after the node was killed"
cat "$out/watch.out"
echo "remote-counter demo: ok"
