// beskplan-hello: a Hummingbird hello-world built the same way as beskplan-server (release,
// static Swift runtime), the ceiling `tools/bench server` measures the server against.
//
// usage: beskplan-hello PORT

import Foundation
import Hummingbird

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8080 : 8080
let router = Router()
router.get("/") { _, _ in "Hello, world!\n" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
