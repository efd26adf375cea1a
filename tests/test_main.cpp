// The main() of a test suite executable (see test_main.h).
#include "test_main.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {
std::map<std::string, testmain::Entry>& registry()
{
    static std::map<std::string, testmain::Entry> entries; // filled before main() by static initialisers
    return entries;
}

std::string currentName;

std::string baseName(const char* file)
{
    std::string name(file);
    if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos)
        name.erase(0, slash + 1);
    if (const auto dot = name.rfind('.'); dot != std::string::npos)
        name.erase(dot);
    return name;
}
} // namespace

bool testmain::add(const char* file, Entry entry)
{
    const bool fresh = registry().emplace(baseName(file), entry).second;
    if (!fresh)
        std::fprintf(stderr, "test_main: %s registered twice\n", file);
    return fresh;
}

const char* testmain::current() { return currentName.c_str(); }

int main(int argc, char** argv)
{
    const auto found = argc >= 2 ? registry().find(argv[1]) : registry().end();
    if (found == registry().end()) {
        if (argc >= 2)
            std::fprintf(stderr, "%s: no test named %s in this suite\n", argv[0], argv[1]);
        std::fprintf(stderr, "usage: %s TEST [Qt Test options]\ntests:", argv[0]);
        for (const auto& [name, entry] : registry())
            std::fprintf(stderr, " %s", name.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    currentName = found->first;
    // The test sees argv[0] and its own options, as if it were alone.
    std::vector<char*> args{argv[0]};
    for (int i = 2; i < argc; ++i)
        args.push_back(argv[i]);
    args.push_back(nullptr);
    return found->second(argc - 1, args.data());
}
