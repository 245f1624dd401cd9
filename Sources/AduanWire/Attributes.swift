/// An answer to one of a category's questions as JSON carries it: text, a number, or a list (a multi-value answer).
public enum AttributeValue: Codable, Sendable, Equatable {
    case one(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .one(let value): return [value]
        case .many(let values): return values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .one(text)
        } else if let list = try? container.decode([String].self) {
            self = .many(list)
        } else if let number = try? container.decode(Double.self) {
            // A number as the client wrote it, without a spurious ".0".
            self = .one(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        } else {
            throw DecodingError.typeMismatch(
                AttributeValue.self, .init(codingPath: decoder.codingPath, debugDescription: "a string, a number or a list of strings"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}

/// One of a category's questions, for clients that build the filing form (`GET /v1/categories`).
public struct CategoryAttributeDTO: Codable, Sendable, Equatable {
    public struct Value: Codable, Sendable, Equatable {
        public let key: String
        public let name: String

        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    public let code: String
    /// string, text, number, datetime, singlevaluelist or multivaluelist (Open311's datatypes).
    public let datatype: String
    public let required: Bool
    public let order: Int
    public let description: String
    public let values: [Value]?

    public init(code: String, datatype: String, required: Bool, order: Int, description: String, values: [Value]?) {
        self.code = code
        self.datatype = datatype
        self.required = required
        self.order = order
        self.description = description
        self.values = values
    }
}

/// An answered question in the staff view: the question, and each value with its label.
public struct AttributeAnswerDTO: Codable, Sendable, Equatable {
    public let code: String
    public let question: String
    public let values: [CategoryAttributeDTO.Value]

    public init(code: String, question: String, values: [CategoryAttributeDTO.Value]) {
        self.code = code
        self.question = question
        self.values = values
    }
}

/// How a complaint came in when an app filed it through Open311 (the staff view): the API key, and what the app sent
/// that the complaint has no field for. The email is absent for an anonymous complaint.
public struct FiledViaDTO: Codable, Sendable, Equatable {
    public struct Client: Codable, Sendable, Equatable {
        public let id: Int64
        public let name: String

        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }

    public let channel: String
    public let api_key: Client
    public let email: String?
    public let device_id: String?
    public let account_id: String?
    /// Photos the app hosts elsewhere: links, not fetched.
    public let media_urls: [String]

    public init(channel: String, api_key: Client, email: String?, device_id: String?, account_id: String?, media_urls: [String]) {
        self.channel = channel
        self.api_key = api_key
        self.email = email
        self.device_id = device_id
        self.account_id = account_id
        self.media_urls = media_urls
    }
}
