#include "core/mesh/llamafarm_api.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace atmo {

namespace {

using ojson = nlohmann::ordered_json; // the class map's values in LlamaFarm's order, as Python keeps them

ojson parse(std::string_view text, const char* what, std::vector<std::string>& problems)
{
    ojson doc = ojson::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        problems.push_back(std::string("LlamaFarm ") + what + ": not a JSON object");
        return ojson::object();
    }
    return doc;
}

// Python's str() of a JSON scalar the bridge would pass on as it is.
std::string text(const ojson& v)
{
    return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

} // namespace

LlamaFarmModels llamaFarmVisionModels(std::string_view modelsJson, std::string_view packagesJson)
{
    LlamaFarmModels out;
    const ojson models = parse(modelsJson, "/v1/vision/models", out.problems);
    const ojson packages = parse(packagesJson, "/v1/vision/federation/packages", out.problems);
    const auto list = [](const ojson& doc, const char* key) {
        const auto it = doc.find(key);
        return it != doc.end() && it->is_array() ? *it : ojson::array();
    };
    const ojson pkgs = list(packages, "packages");
    for (const ojson& model : list(models, "models")) {
        if (!model.is_object() || !model.contains("id") || !model["id"].is_string() || model["id"].get<std::string>().empty())
            continue;
        const std::string id = model["id"].get<std::string>();
        const ojson* pkg = nullptr;
        for (const ojson& p : pkgs)
            if (p.is_object() && p.contains("model_id") && p["model_id"] == id) {
                pkg = &p;
                break;
            }
        if (!pkg)
            continue; // the bridge offers only models with a package
        const std::string label = "LlamaFarm model " + id + ": ";
        if (!isValidModelId(id)) {
            out.problems.push_back(label + "not a model_id the station can serve (letters, digits, '.', '_', '-'); "
                                           "skipped");
            continue;
        }
        const std::string path = pkg->contains("path") && (*pkg)["path"].is_string() ? (*pkg)["path"].get<std::string>() : "";
        struct stat st {};
        if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            out.problems.push_back(label + (path.empty() ? "its package names no file" : "its package file is not here")
                                   + "; skipped");
            continue;
        }
        LlamaFarmModel m;
        m.file = path;
        CatalogEntry& e = m.entry;
        e.modelId = id;
        e.name = model.contains("name") && !model["name"].is_null() ? text(model["name"]) : id;
        e.type = "vision";
        e.format = "pt";
        const std::string task = model.contains("task") ? text(model["task"]) : "detection";
        e.capabilities = {task == "detection" ? "object_detection" : "classification"};
        if (const auto cm = pkg->find("class_map"); cm != pkg->end() && (cm->is_object() || cm->is_array()))
            for (const auto& v : *cm)
                e.classes.push_back(text(v));
        if (!e.classes.empty())
            e.classCount = static_cast<std::int64_t>(e.classes.size());
        else if (const auto n = pkg->find("num_classes"); n == pkg->end())
            e.classCount = 0;
        else if (n->is_number_integer() && n->get<std::int64_t>() >= 0)
            e.classCount = n->get<std::int64_t>();
        e.version = pkg->contains("version") ? text((*pkg)["version"]) : "1.0.0";
        if (const auto md = pkg->find("metadata"); md != pkg->end() && md->is_object())
            e.metadataJson = md->dump(-1, ' ', false, ojson::error_handler_t::replace);
        e.source = "llamafarm_training";
        e.sourceRef = "local";
        e.sizeBytes = static_cast<std::uint64_t>(st.st_size);
        // A later model with the same id replaces the earlier one (a dict in the bridge).
        bool replaced = false;
        for (auto& prev : out.models)
            if (prev.entry.modelId == id) {
                prev = m;
                replaced = true;
            }
        if (!replaced)
            out.models.push_back(std::move(m));
    }
    return out;
}

} // namespace atmo
