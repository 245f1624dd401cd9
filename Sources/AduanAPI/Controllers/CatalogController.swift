import AduanCore
import AduanWire
import Hummingbird

/// Read-only views of the catalog that clients need to build their forms.
struct CatalogController<Context: RequestContext> {
    /// Categories and regions do not change while the server runs; only the calendar does.
    let catalog: LiveCatalog

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("categories", use: self.categories)
        group.get("regions", use: self.regions)
    }

    @Sendable func categories(_ request: Request, context: Context) async throws -> Response {
        let language = Language(request)
        let presenter = Presenter(catalog: self.catalog.current)
        let list = CategoryList(
            categories: self.catalog.current.categories.map {
                var category = CategoryDTO(
                    code: $0.code, name: language == .en ? $0.nameEN : $0.nameID, name_id: $0.nameID, name_en: $0.nameEN,
                    default_visibility: $0.defaultVisibility.rawValue, photo_required: $0.photoRequired,
                    sla: .init(response: .init($0.sla.response), resolution: .init($0.sla.resolution)))
                category.public_place = $0.publicPlace
                category.attributes = presenter.attributes(of: $0, language)
                return category
            })
        return try .json(list, headers: [.contentLanguage: language.rawValue])
    }

    /// `?parent=CODE` lists a region's children; without it, the top of the tree (the province).
    @Sendable func regions(_ request: Request, context: Context) async throws -> Response {
        guard let parentCode = request.uri.queryParameters["parent"].map({ RegionCode(String($0)) }) else {
            let top = self.catalog.current.regions[self.catalog.current.province].map { [self.dto($0)] } ?? []
            return try .json(RegionList(parent: nil, regions: top), headers: [.contentLanguage: Language(request).rawValue])
        }
        guard let parent = self.catalog.current.regions[parentCode] else { throw Problem(.notFound, context: "region \(parentCode)") }
        return try .json(
            RegionList(parent: self.dto(parent), regions: self.catalog.current.children(of: parentCode).map(self.dto)),
            headers: [.contentLanguage: Language(request).rawValue])
    }

    func dto(_ region: Region) -> RegionDTO {
        RegionDTO(
            code: region.code.rawValue, name: region.name, level: region.level.rawValue,
            has_children: !self.catalog.current.children(of: region.code).isEmpty)
    }
}
