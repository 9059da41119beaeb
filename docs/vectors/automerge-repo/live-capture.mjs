// Runs a sync server set up like automerge-repo's reference sync server (NodeFS storage,
// announce policy false) on 127.0.0.1 and prints every WebSocket frame it sees, in both
// directions, as hex and decoded. Scenario: client A creates a document and waits until the
// server has it; client B finds it by URL; client B asks for an unknown document.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { WebSocketServer } from "ws"
import { Repo, cbor } from "@automerge/automerge-repo"
import {
  WebSocketServerAdapter,
  WebSocketClientAdapter,
} from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const hex = bytes => Buffer.from(bytes).toString("hex")
const readable = value =>
  JSON.stringify(value, (k, v) =>
    v instanceof Uint8Array || Buffer.isBuffer(v) ? `h'${hex(v)}'` : v
  )

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "amrg-"))
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
await new Promise(resolve => wss.on("listening", resolve))
const port = wss.address().port

let frame = 0
const log = (direction, socketName, bytes) => {
  frame += 1
  console.log(`#${frame} ${direction} ${socketName} (${bytes.length} bytes)`)
  console.log(`  ${hex(bytes)}`)
  try {
    console.log(`  ${readable(cbor.decode(bytes))}`)
  } catch (e) {
    console.log(`  (not CBOR: ${e.message})`)
  }
}
let connections = 0
wss.on("connection", socket => {
  connections += 1
  const name = `conn${connections}`
  socket.on("message", bytes => log("client->server", name, new Uint8Array(bytes)))
  const send = socket.send.bind(socket)
  socket.send = (data, ...rest) => {
    log("server->client", name, new Uint8Array(data))
    return send(data, ...rest)
  }
})

const server = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: "storage-server-vectors",
  sharePolicy: async () => false,
})
// The server adapter starts listening for connections only once the repo knows its storage
// id; a client accepted before that would never get its "peer" answer.
await server.storageId()
await new Promise(resolve => setTimeout(resolve, 100))

const url = `ws://127.0.0.1:${port}`
const clientA = new Repo({
  network: [new WebSocketClientAdapter(url)],
  peerId: "client-a",
})
await clientA.networkSubsystem.whenReady()
console.log("== client A creates a document")
const handle = clientA.create({ title: "hello" })
console.log(`   url ${handle.url}`)
const deadline = Date.now() + 10_000
while (!server.handles[handle.documentId]?.isReady()) {
  if (Date.now() > deadline) throw new Error("server never received the document")
  await new Promise(resolve => setTimeout(resolve, 20))
}
// let the sync exchange settle before the next scenario
await new Promise(resolve => setTimeout(resolve, 500))

console.log("== client B finds it")
const clientB = new Repo({
  network: [new WebSocketClientAdapter(url)],
  peerId: "client-b",
})
await clientB.networkSubsystem.whenReady()
const found = await clientB.find(handle.url)
console.log(`   client B reads ${JSON.stringify(found.doc())}`)
await new Promise(resolve => setTimeout(resolve, 500))

console.log("== client B asks for an unknown document")
const unknown = "automerge:1Bhh3pU9gLXZiNDL6PEa1Gs9fh"
try {
  await clientB.find(unknown)
  console.log("   unexpectedly found")
} catch (e) {
  console.log(`   client B: ${e.message}`)
}
await new Promise(resolve => setTimeout(resolve, 500))

// A raw socket (the ws package) for what a Repo never sends on its own.
import WebSocket from "ws"
const rawExchange = (label, bytes) =>
  new Promise(resolve => {
    console.log(`== ${label}`)
    const socket = new WebSocket(url)
    socket.binaryType = "nodebuffer"
    socket.on("open", () => socket.send(bytes))
    socket.on("message", data => console.log(`   raw client got ${hex(data)}`))
    socket.on("close", (code, reason) => {
      console.log(`   raw client saw close code ${code} reason "${reason}"`)
      resolve()
    })
  })
await rawExchange(
  "a client that supports only protocol version 2",
  cbor.encode({
    type: "join",
    senderId: "client-v2",
    peerMetadata: {},
    supportedProtocolVersions: ["2"],
  })
)
await rawExchange("a frame that is not CBOR", Uint8Array.from([0xff, 0x00, 0x01]))

// shutdown() of 2.5.6 rejects while a handle is unavailable; the capture is complete by now
for (const repo of [clientA, clientB, server]) await repo.shutdown().catch(() => {})
wss.close()
fs.rmSync(dataDir, { recursive: true, force: true })
process.exit(0)
