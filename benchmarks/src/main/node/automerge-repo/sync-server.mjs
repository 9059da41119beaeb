// The comparator of `benchmarks/run repo`: automerge-repo's sync server as its README sets it up, a
// Repo with a WebSocketServerAdapter and NodeFS storage whose share policy announces nothing (it
// serves any document asked for). Listens on 127.0.0.1 and a port the system picks, and prints
// "listening PORT" once it accepts connections; stops on SIGTERM or when stdin closes (so it never
// outlives the suite that started it).
//
//   node sync-server.mjs DATA_DIR
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"
import { WebSocketServer } from "ws"

const [dataDir] = process.argv.slice(2)
if (!dataDir) {
  console.error("usage: node sync-server.mjs DATA_DIR")
  process.exit(64)
}
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: "node-sync-server",
  sharePolicy: async () => false,
})
wss.on("listening", () => console.log(`listening ${wss.address().port}`))
process.on("SIGTERM", () => process.exit(0))
process.stdin.on("end", () => process.exit(0))
process.stdin.resume()
