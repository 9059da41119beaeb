// The client side of `benchmarks/run repo`: two automerge-repo Repos (no storage of their own), each
// with its own WebSocket to one sync server. The writer uploads, then the reader downloads while the
// writer stays connected. Lines on stdout:
//
//   uploaded MS     the writer's time, from its connect until the server's sync messages report
//                   every document's heads (for a server that answers only once the data is
//                   stored, that is "stored"); its documents were made before, off the clock
//   then it waits for the line "download" on stdin (the suite reads its byte counters meanwhile)
//   downloaded MS   the reader's time, from its connect until it has every document with those heads
//
//   node repo-sync.mjs WS_URL docs COUNT          COUNT small documents
//   node repo-sync.mjs WS_URL file AUTOMERGE_FILE one saved Automerge document with its history
//
// Why the writer stays: the reference server marks a document unavailable for good when its only
// writer leaves too soon after creating it (a reader right after gets "Document ... is unavailable"
// until the server restarts), so both servers are measured with the writer online.
//
// Exit codes: 0 done, 1 failed (a line "error MESSAGE" says why, also when a phase made no progress
// for STALL_S seconds, environment, default 120), 3 no result within TIMEOUT_S seconds
// (environment, default 600), 64 bad arguments.
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { readFileSync } from "node:fs"

const [wsUrl, command, ...args] = process.argv.slice(2)
const timeoutSeconds = Number(process.env.TIMEOUT_S ?? 600)
setTimeout(() => {
  console.log(`timeout no result within ${timeoutSeconds} s`)
  process.exit(3)
}, timeoutSeconds * 1000).unref()

const stallSeconds = Number(process.env.STALL_S ?? 120)

/**
 * Counts finished documents of a phase and fails it when none finished for stallSeconds: under load
 * the reference server has been seen to stop answering a few hundred documents into an upload,
 * and a stalled phase is better reported at once than after the whole timeout.
 */
function progress(phase, total) {
  let done = 0
  let last = performance.now()
  const watch = setInterval(() => {
    if (performance.now() - last > stallSeconds * 1000) {
      console.log(`error ${phase} stalled: ${done} of ${total} documents done, none for ${stallSeconds} s`)
      process.exit(1)
    }
  }, 1000)
  watch.unref()
  return {
    step() {
      done++
      last = performance.now()
    },
    end() {
      clearInterval(watch)
    },
  }
}

const sameHeads = (a, b) => a !== undefined && b !== undefined && [...a].sort().join() === [...b].sort().join()

/** Connects the repo and resolves with the server's peer id once it answered join. */
function connect(repo) {
  const peer = new Promise((resolve) => repo.networkSubsystem.once("peer", ({ peerId }) => resolve(peerId)))
  repo.networkSubsystem.addNetworkAdapter(new WebSocketClientAdapter(wsUrl))
  return peer
}

/** Resolves once the server with this storage id reports the handle's current heads. */
function storedOnServer(handle, storageId) {
  return new Promise((resolve) => {
    const check = () => {
      if (sameHeads(handle.getSyncInfo(storageId)?.lastHeads, handle.heads())) {
        handle.off("remote-heads", check)
        resolve()
        return true
      }
      return false
    }
    if (!check()) {
      handle.on("remote-heads", check)
    }
  })
}

/** Resolves once the handle has exactly these heads. */
function hasHeads(handle, heads) {
  return new Promise((resolve) => {
    const check = () => {
      if (sameHeads(handle.heads(), heads)) {
        handle.off("change", check)
        resolve()
        return true
      }
      return false
    }
    if (!check()) {
      handle.on("change", check)
    }
  })
}

async function upload(handles, repo) {
  const started = performance.now()
  const server = await connect(repo)
  const storageId = repo.getStorageIdOfPeer(server)
  if (!storageId) {
    throw new Error(`the server ${server} announced no storage id: it does not store documents`)
  }
  const watch = progress("upload", handles.length)
  await Promise.all(handles.map((h) => storedOnServer(h, storageId).then(watch.step)))
  watch.end()
  return performance.now() - started
}

async function download(documents, repo) {
  const started = performance.now()
  await connect(repo)
  const watch = progress("download", documents.length)
  await Promise.all(
    documents.map(async ({ url, heads }) => {
      const handle = await repo.find(url)
      await hasHeads(handle, heads)
      watch.step()
    }),
  )
  watch.end()
  return performance.now() - started
}

function line(text) {
  return new Promise((resolve) => {
    let buffered = ""
    const onData = (chunk) => {
      buffered += chunk
      if (buffered.split("\n").some((l) => l.trim() === text)) {
        process.stdin.off("data", onData)
        process.stdin.pause()
        resolve()
      }
    }
    process.stdin.setEncoding("utf8")
    process.stdin.on("data", onData)
    process.stdin.on("end", () => {
      console.log(`error stdin closed before "${text}"`)
      process.exit(1)
    })
  })
}

async function main() {
  // No storage and no network yet: the documents exist before the clock starts.
  const writer = new Repo({ network: [] })
  const handles = []
  if (command === "docs" && args.length === 1) {
    const count = Number(args[0])
    for (let i = 0; i < count; i++) {
      handles.push(writer.create({ title: `document ${i}`, count: i, done: i % 2 === 0, tags: ["bench", `n${i % 10}`] }))
    }
  } else if (command === "file" && args.length === 1) {
    handles.push(writer.import(new Uint8Array(readFileSync(args[0]))))
  } else {
    console.error("usage: node repo-sync.mjs WS_URL docs COUNT | file AUTOMERGE_FILE")
    process.exit(64)
  }
  const uploaded = await upload(handles, writer)
  const documents = handles.map((h) => ({ url: h.url, heads: h.heads() }))
  // Let the last messages of the upload arrive before the suite reads its counters.
  await new Promise((r) => setTimeout(r, 300))
  console.log(`uploaded ${uploaded.toFixed(1)}`)
  await line("download")
  const downloaded = await download(documents, new Repo({ network: [] }))
  console.log(`downloaded ${downloaded.toFixed(1)}`)
  // Let the WebSocket carry the last messages out before the process goes.
  setTimeout(() => process.exit(0), 200)
}

main().catch((e) => {
  console.log(`error ${e?.message ?? e}`)
  process.exit(1)
})
