// Many test files, one executable per suite (tests/CMakeLists.txt): each
// tst_*.cpp registers its Qt Test class under its file name, and the suite's
// main() (test_main.cpp) runs the one named first on its command line, in a
// process of its own as before: `atmo_tests_core tst_text -v2`. CTest runs
// every file as its own test under its old name.
//
// Why: linking 90 executables and parsing Qt's headers 90 times was half of
// the sanitizer build that CI waits for; four executables with precompiled
// headers build in a fraction of that.
//
// Use ATMO_TEST_MAIN (QApplication, widget tests), ATMO_TEST_GUILESS_MAIN
// (QCoreApplication) or ATMO_TEST_APPLESS_MAIN (no application object) where
// Qt's QTEST_*MAIN would go; those define main() and do not link here.
#pragma once

#include <QTest>

namespace testmain {
using Entry = int (*)(int argc, char** argv);
// Registers the test class of `file` (its base name without extension).
bool add(const char* file, Entry entry);
// The name the running process was started for ("tst_mdns"): a test that
// starts its own executable again passes it as the first argument.
const char* current();
} // namespace testmain

// As Qt's QTEST_MAIN_WRAPPER, with a registered function in place of main().
#define ATMO_TEST_ENTRY(TestObject, ...)                                                                               \
    namespace {                                                                                                        \
    int atmoTestEntry(int argc, char** argv)                                                                           \
    {                                                                                                                  \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                                             \
        __VA_ARGS__                                                                                                    \
        TestObject tc;                                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }                                                                                                                  \
    [[maybe_unused]] const bool atmoTestAdded = testmain::add(__FILE__, &atmoTestEntry);                             \
    }

#define ATMO_TEST_APP_SETUP(App)                                                                                       \
    App app(argc, argv);                                                                                               \
    app.setAttribute(Qt::AA_Use96Dpi, true);

#define ATMO_TEST_MAIN(TestObject) ATMO_TEST_ENTRY(TestObject, ATMO_TEST_APP_SETUP(QApplication))
#define ATMO_TEST_GUILESS_MAIN(TestObject) ATMO_TEST_ENTRY(TestObject, ATMO_TEST_APP_SETUP(QCoreApplication))
#define ATMO_TEST_APPLESS_MAIN(TestObject) ATMO_TEST_ENTRY(TestObject)
