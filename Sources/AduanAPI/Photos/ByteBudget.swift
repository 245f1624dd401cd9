/// How many bytes of photo forms the server holds at once. A form is admitted before its body is read, for its
/// declared length (or the largest a form may be, when it declares none); one that does not fit gets 503 with
/// Retry-After. Together with `WorkLimiter` this bounds the memory uploads take, whatever the burst.
actor ByteBudget {
    let limit: Int
    private var used = 0

    init(limit: Int) { self.limit = limit }

    func reserve(_ bytes: Int) throws {
        guard self.used + bytes <= self.limit else { throw Problem(.unavailable, context: "too many photo uploads at once") }
        self.used += bytes
    }

    func release(_ bytes: Int) { self.used -= bytes }
}
