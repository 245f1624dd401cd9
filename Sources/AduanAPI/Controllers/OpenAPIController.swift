import Hummingbird

/// Serves the OpenAPI 3.1 document, the contract with the mobile app.
struct OpenAPIController<Context: RequestContext> {
    func addRoutes(to router: Router<Context>) {
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }
}

/// The hand-written OpenAPI document, embedded from Resources/openapi.json; a test holds the routes to it.
public enum OpenAPIDocument {
    public static let bytes: [UInt8] = PackageResources.openapi_json
}
