// Prints one hex line per protocol message, encoded by automerge-repo's own CBOR helper
// (the encoder both WebSocket adapters call before sending a binary frame).
import * as A from "@automerge/automerge"
import {
  cbor,
  stringifyAutomergeUrl,
  parseAutomergeUrl,
} from "@automerge/automerge-repo"
import bs58check from "bs58check"

const hex = bytes => Buffer.from(bytes).toString("hex")
const show = (name, value) => console.log(`${name}\n  ${hex(cbor.encode(value))}`)

// A fixed document id: the 16 bytes 00 01 .. 0f.
const binaryId = Uint8Array.from({ length: 16 }, (_, i) => i)
const url = stringifyAutomergeUrl(binaryId)
const documentId = parseAutomergeUrl(url).documentId
console.log(`document id bytes\n  ${hex(binaryId)}`)
console.log(`document id\n  ${documentId}`)
console.log(`url\n  ${url}`)

// Deterministic Automerge sync payloads: fixed actor, fixed change time.
const empty = A.init({ actor: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
const [, requestData] = A.generateSyncMessage(empty, A.initSyncState())
const doc = A.change(
  A.init({ actor: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }),
  { time: 0 },
  d => {
    d.title = "hello"
  }
)
const [, syncData] = A.generateSyncMessage(doc, A.initSyncState())
console.log(`request data (sync message of an empty document)\n  ${hex(requestData)}`)
console.log(`sync data (first sync message of a one-change document)\n  ${hex(syncData)}`)
const head = A.getHeads(doc)[0]
console.log(`head of that document\n  ${head}`)
const urlHead = bs58check.encode(Buffer.from(head, "hex"))
console.log(`that head in bs58check (as in URLs and remote-heads-changed)\n  ${urlHead}`)

const client = "client-1"
const server = "server-1"
const storageId = "7a4a2d5e-9e1f-4c3b-8a6d-0f1e2d3c4b5a"

show("join", {
  type: "join",
  senderId: client,
  peerMetadata: { storageId, isEphemeral: false },
  supportedProtocolVersions: ["1"],
})
show("join (ephemeral client, no storage)", {
  type: "join",
  senderId: client,
  peerMetadata: { isEphemeral: true },
  supportedProtocolVersions: ["1"],
})
show("peer", {
  type: "peer",
  senderId: server,
  peerMetadata: { storageId, isEphemeral: false },
  selectedProtocolVersion: "1",
  targetId: client,
})
show("error", {
  type: "error",
  senderId: server,
  message: "unsupported protocol version",
  targetId: client,
})
show("request", {
  type: "request",
  targetId: server,
  documentId,
  data: requestData,
  senderId: client,
})
show("sync", {
  type: "sync",
  targetId: server,
  data: syncData,
  documentId,
  senderId: client,
})
show("doc-unavailable", {
  type: "doc-unavailable",
  documentId,
  targetId: client,
  senderId: server,
})
// The data of an ephemeral message is itself CBOR (DocHandle.broadcast encodes it).
show("ephemeral", {
  type: "ephemeral",
  targetId: server,
  documentId,
  data: new Uint8Array(cbor.encode({ cursor: 7 })),
  count: 1,
  sessionId: "k2j4h5g6f7",
  senderId: client,
})
show("remote-subscription-change", {
  type: "remote-subscription-change",
  targetId: server,
  add: [storageId],
  remove: [],
  senderId: client,
})
show("remote-heads-changed", {
  type: "remote-heads-changed",
  targetId: client,
  documentId,
  newHeads: {
    [storageId]: {
      heads: [urlHead],
      timestamp: 1765000000000,
    },
  },
  senderId: server,
})
