#include "core/mesh/bridge_rules.h"

namespace atmo {

std::optional<std::pair<std::string, std::string>> hubRepoName(const std::string& dirName)
{
    std::string rest = dirName;
    const std::string prefix = "models--";
    for (std::size_t pos; (pos = rest.find(prefix)) != std::string::npos;)
        rest.erase(pos, prefix.size()); // str.replace("models--", "")
    std::vector<std::string> parts; // str.split("--")
    std::size_t start = 0;
    for (std::size_t pos; (pos = rest.find("--", start)) != std::string::npos; start = pos + 2)
        parts.push_back(rest.substr(start, pos - start));
    parts.push_back(rest.substr(start));
    if (parts.size() < 2)
        return std::nullopt;
    return std::pair{parts[0], parts[1]};
}

std::string pythonStem(const std::string& name)
{
    const auto dot = name.rfind('.');
    return dot != std::string::npos && dot > 0 && dot + 1 < name.size() ? name.substr(0, dot) : name;
}

double pythonMtime(const struct stat& st)
{
    return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}

std::string bridgeModelId(const std::string& text)
{
    std::string id;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ') {
            id += '-';
        } else if (c >= 'A' && c <= 'Z') {
            id += static_cast<char>(c - 'A' + 'a');
        } else if (text.compare(i, 3, "\xE2\x84\xAA") == 0) {
            id += 'k';
            i += 2;
        } else {
            id += c;
        }
    }
    return id;
}

std::vector<std::string> bridgeCapabilities(const ModelKind& kind)
{
    if (kind.format == "gguf")
        return {"text_generation", "chat"};
    if (kind.format == "onnx" || kind.format == "tflite")
        return {"object_detection", "classification"};
    if (kind.type == "vision")
        return {"object_detection"};
    return {"text_generation"};
}

} // namespace atmo
