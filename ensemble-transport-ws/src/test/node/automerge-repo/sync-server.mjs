// A reference automerge-repo sync server, written the way automerge-repo's sync server is: a Repo
// with a WebSocketServerAdapter and NodeFS storage whose share policy announces nothing (it serves
// any document asked for). Listens on 127.0.0.1 and PORT (default: one the system picks), and
// prints "listening PORT" once it accepts connections.
//
//   node sync-server.mjs DATA_DIR [PORT]
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"
import { WebSocketServer } from "ws"

const [dataDir, port] = process.argv.slice(2)
if (!dataDir) {
  console.error("usage: node sync-server.mjs DATA_DIR [PORT]")
  process.exit(64)
}
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(port ?? 0) })
new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: "storage-server-test",
  sharePolicy: async () => false,
})
wss.on("listening", () => console.log(`listening ${wss.address().port}`))
process.on("SIGTERM", () => process.exit(0))
