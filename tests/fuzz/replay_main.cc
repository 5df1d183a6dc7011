// The main of a fuzz target outside the fuzz preset: feeds every file of the
// directories given (seed corpus, past crashes) to LLVMFuzzerTestOneInput
// once, so each normal build (g++, Release or ASan + UBSan) replays them as
// a ctest test. A crash fails the test the way it failed under libFuzzer.
//   <name>_fuzz DIR...
// Each DIR must exist, so a misspelt path cannot pass by replaying nothing.
// Hidden files (.gitkeep keeps an empty regressions directory in git) are
// not inputs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional, as in libFuzzer: a target that needs set-up may define it.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path dir = argv[i];
    if (!std::filesystem::is_directory(dir)) {
      std::cerr << "replay: " << dir << " is not a directory\n";
      return 2;
    }
    // Sorted: the same order on every machine, so a failure names the same input.
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) {
        std::cerr << "replay: cannot read " << file << "\n";
        return 2;
      }
      // Printed first: if the input crashes, the log says which one.
      std::cerr << "replay: " << file.string() << " (" << bytes.size() << " bytes)\n";
      // A copy of exactly its size, as libFuzzer passes: ASan sees any
      // read past the end.
      std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(copy.data(), copy.size());
      ++replayed;
    }
  }
  std::cerr << "replay: " << replayed << " inputs, no crash\n";
  return 0;
}
