#include <algorithm>

#include "bench.h"

namespace parcours::bench {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p * static_cast<double>(values.size() - 1);
  const auto low = static_cast<std::size_t>(rank);
  const std::size_t high = std::min(low + 1, values.size() - 1);
  const double weight = rank - static_cast<double>(low);
  return values[low] * (1 - weight) + values[high] * weight;
}

double median(std::vector<double> values) {
  return percentile(std::move(values), 0.5);
}

void finalize(Figure& figure) {
  figure.value = median(figure.runs);
  figure.rawValue = median(figure.rawRuns);
}

Figure makeFigure(std::string name, std::string description, std::string unit,
                  bool higherIsBetter) {
  Figure f;
  f.name = std::move(name);
  f.description = std::move(description);
  f.unit = std::move(unit);
  f.higherIsBetter = higherIsBetter;
  return f;
}

bool Target::met(double value, double ratio) const {
  if (minValue && value < *minValue) return false;
  if (maxValue && value > *maxValue) return false;
  if (minRatio && ratio < *minRatio) return false;
  if (maxRatio && ratio > *maxRatio) return false;
  return true;
}

}  // namespace parcours::bench
