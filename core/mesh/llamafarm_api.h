// LlamaFarm's vision models as the model bridge reads them from LlamaFarm's
// HTTP API (PROTOCOL.md "How a bridge builds its catalog"):
// GET /v1/vision/models -> {"models":[{id,name,task,...}]} and
// GET /v1/vision/federation/packages -> {"packages":[{model_id,path,version,
// class_map,num_classes,metadata,size_bytes,checksum}]}. The HTTP side is the
// application's (app/mesh/LlamaFarmApi); this turns the two answers into
// catalog entries by the bridge's rules.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/mesh/catalog_wire.h"

namespace atmo {

struct LlamaFarmModel {
    CatalogEntry entry;           // size_bytes and sha256 are the caller's to fill from the file
    std::filesystem::path file;   // the package's path, as LlamaFarm gave it; never sent to peers
};

struct LlamaFarmModels {
    std::vector<LlamaFarmModel> models; // in the order of /v1/vision/models; ids unique (a later one replaces)
    std::vector<std::string> problems;  // "LlamaFarm model <id>: <reason>"
};

// The bridge's rules: a model with an `id` and a package of that model_id;
// model_id = id, name = name (else id), type vision, format pt, capabilities
// ["object_detection"] when task is "detection" (the default) else
// ["classification"], classes = the class map's values in its order (null
// when there is none), class_count = their number (else num_classes, else 0),
// version = the package's (else "1.0.0"), metadata = the package's (else {}),
// source llamafarm_training, source_ref "local". Unlike the bridge, a package
// whose file is not on this machine, or an id the station cannot serve, is a
// problem, not an entry: the station only offers what it can send. Never
// fails: an answer that is not the expected JSON is a problem line.
LlamaFarmModels llamaFarmVisionModels(std::string_view modelsJson, std::string_view packagesJson);

} // namespace atmo
