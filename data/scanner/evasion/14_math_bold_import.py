# mathematical bold letters NFKC-normalise to "os"
import 𝐨𝐬
𝐨𝐬.getcwd()
