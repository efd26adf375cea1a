// The strict field readers every part of manifest.yaml is parsed with: each
// problem is a Failure naming the field ("manifest.yaml: contents.models[0].
// size must be a whole number, not \"x\""), printable on one line. Internal
// to the manifest's parsers (manifest.cpp, manifest_delta.cpp).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include <yaml-cpp/yaml.h>

namespace atmo::manifest_fields {

[[noreturn]] void bad(const std::string& field, const std::string& reason);
// yaml-cpp keeps the first of duplicate keys silently; a manifest must not have any.
void noDuplicateKeys(const YAML::Node& node, const std::string& where);
void onlyKeys(const YAML::Node& node, const std::string& where, std::initializer_list<const char*> allowed);
YAML::Node need(const YAML::Node& node, const std::string& where, const char* key);
std::string text(const YAML::Node& node, const std::string& field);
std::uint64_t number(const YAML::Node& node, const std::string& field);
// "sha256:<64 lowercase hex>" -> the hex.
std::string hashField(const YAML::Node& node, const std::string& field);

} // namespace atmo::manifest_fields
