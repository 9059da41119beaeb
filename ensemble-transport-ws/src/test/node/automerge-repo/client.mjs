// A JavaScript automerge-repo client for the tests: one command, its result on stdout, then exit.
//
//   node client.mjs WS_URL create JSON          prints "url URL" once another client can find it
//   node client.mjs WS_URL read URL             prints "doc JSON", or "unavailable MESSAGE" (exit 2)
//   node client.mjs WS_URL edit URL KEY TEXT WAIT_KEY
//       finds the document (or prints "unavailable MESSAGE", exit 2), prints "ready", inserts TEXT at the start of the text under KEY and
//       sets "js" to true in one change, waits until the document has WAIT_KEY, prints "doc JSON"
//   node client.mjs WS_URL broadcast URL JSON   finds the document, prints "ready", then broadcasts
//       JSON as an ephemeral message every 200 ms (at most 100 times)
//   node client.mjs WS_URL listen URL           finds the document, prints "ready", then prints
//       "ephemeral SENDER JSON" for the first ephemeral message it receives
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as Automerge from "@automerge/automerge"

const [wsUrl, command, ...args] = process.argv.slice(2)
// Shutting down a probe Repo whose socket is still connecting makes ws emit an error nobody can
// listen for ("WebSocket was closed before the connection was established"), which would end the
// process before it answers. That socket is being thrown away anyway: ignore exactly this error.
process.on("uncaughtException", (e) => {
  if (String(e && e.message).includes("closed before the connection was established")) {
    console.error(`ignored: ${e.message}`)
    return
  }
  console.error(e)
  process.exit(1)
})
const deadline = setTimeout(() => {
  console.log("timeout")
  process.exit(3)
}, 30_000)

function client() {
  return new Repo({ network: [new WebSocketClientAdapter(wsUrl)] })
}

async function find(repo, url) {
  return await repo.find(url)
}

function done(code) {
  clearTimeout(deadline)
  // Let the WebSocket carry the last sync messages out before the process goes.
  setTimeout(() => process.exit(code), 300)
}

if (command === "create") {
  const repo = client()
  const handle = repo.create(JSON.parse(args[0]))
  // The document is on the server once a second client, with nothing but the server, finds it.
  for (;;) {
    const probe = client()
    try {
      const found = await probe.find(handle.url)
      if (Object.keys(found.doc()).length > 0) {
        break
      }
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100))
    } finally {
      probe.shutdown()
    }
  }
  console.log(`url ${handle.url}`)
  done(0)
} else if (command === "read") {
  const repo = client()
  try {
    const handle = await find(repo, args[0])
    console.log(`doc ${JSON.stringify(handle.doc())}`)
    done(0)
  } catch (e) {
    console.log(`unavailable ${e.message}`)
    done(2)
  }
} else if (command === "edit") {
  const [url, key, text, waitKey] = args
  const repo = client()
  let handle
  try {
    handle = await find(repo, url)
  } catch (e) {
    console.log(`unavailable ${e.message}`)
    done(2)
  }
  if (!handle) {
    await new Promise(() => {})
  }
  console.log("ready")
  handle.change((d) => {
    Automerge.splice(d, [key], 0, 0, text)
    d.js = true
  })
  await new Promise((resolve) => {
    const check = () => {
      if (handle.doc()[waitKey] !== undefined) {
        handle.off("change", check)
        resolve()
      }
    }
    handle.on("change", check)
    check()
  })
  console.log(`doc ${JSON.stringify(handle.doc())}`)
  done(0)
} else if (command === "broadcast") {
  const repo = client()
  const handle = await find(repo, args[0])
  console.log("ready")
  for (let i = 0; i < 100; i++) {
    handle.broadcast(JSON.parse(args[1]))
    await new Promise((r) => setTimeout(r, 200))
  }
  done(0)
} else if (command === "listen") {
  const repo = client()
  const handle = await find(repo, args[0])
  handle.on("ephemeral-message", ({ senderId, message }) => {
    console.log(`ephemeral ${senderId} ${JSON.stringify(message)}`)
    done(0)
  })
  console.log("ready")
} else {
  console.error(`unknown command ${command}`)
  process.exit(64)
}
