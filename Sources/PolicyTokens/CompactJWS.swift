import Foundation
import JWTKit

/// Produces compact JWS strings (`header.payload.signature`).
enum CompactJWS {
    static func signed(headerJSON: Data, payloadJSON: Data, with signer: any JWTAlgorithm) throws -> String {
        let signingInput = Base64URL.encode(headerJSON) + "." + Base64URL.encode(payloadJSON)
        let signature = try signer.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    static func signed(header: some Encodable, payload: some Encodable, with signer: any JWTAlgorithm)
        throws -> String
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try signed(headerJSON: encoder.encode(header), payloadJSON: encoder.encode(payload), with: signer)
    }
}
