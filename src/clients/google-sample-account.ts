// The service account of the Google nodes' samples: an example key file, made for the catalogue
// and the contract suite, which the fake Google token endpoint (test/fake-upstream/google.js)
// knows. It opens nothing anywhere: no Google project has this key.
export const SAMPLE_SERVICE_ACCOUNT = {
  type: 'service_account',
  project_id: 'automateos-sample',
  private_key_id: 'sample-key',
  private_key:
    '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC1lQzD6RMsE/ct\n0dZvHU3uqE2pArTNfpMR+7cfxt36aup0QXNtdzJgCbID9VfWUQ9F6v474xOui0ur\ndB0qyPQsBdK1ltF45k3dnZ7PI/usUmQ/Fov8W3EPHEddjX1uM3S+Vekd7RafMLQh\nKK6DoFbaNA2wX3ka88CQfKwyp/UXC07S43nb7w8KGhnzB0ka+4ZwKycrXX6Ku+Mv\n3YbtY4OGw/WqpAdLmvmkCnQWUCIurhfZXaH6/G0DyhF4eoEh6k8i2ospUdlxMbu0\njy5ZYXbquwhpN1vQeI42N9Xo3cAom3HvMmt8Ba0mfgzFSaazPd2M5SdzAKIEIoN9\nzmNVeN51AgMBAAECggEAAIgQ/f/QJ7hf6FlCueze3gcjFw65eG0u7AYNxADhLyBM\nqGN1Ut7e8wtZjeEUIpNL1VC58XNENaYVu3OUZEbV+XeuOrbYInT2Hw3Hjw6paBiO\nT5BMKkRwQR2Rkz4HSHZ2bdoy26dmgg0dRzLnHokucpFlcDHkrltZTHL4+WWmy4Gi\niJbeYhhNdt/WFNDEGw2taRIHYMB/suI4/NTCV5gh66IcXFq3tvL6gdsA3nWjMeKy\nDFWW8QuxKv8iSd/nuk5hYzFb2f3t45YBo4JohEP32Rl8D+/otb1+CmMUmBTywvxB\ntQ+5MjHf6LQdNXMymtDynXVM2uCwWJzxOW3kKuFHnwKBgQDrJbWAhSaYCR9o7EhW\nw45VH4YJN0dC563ehed4nSYw1XIviaRXbUUBxa6y1pMi4hAQ1IUHuVA9amaoHab6\nUzNHCqgDG7EhPWj1R1VerGHi42FhlOtFlaSUAqVbRPt+QYEzpI3UiPuMcmPLv71y\n9pwO8oo7TS/946CJsQwDcH1XAwKBgQDFr0/RWlDy4BsAOeH4lm/o6/jQZpKg/iCm\ngrWL84azT6Mvmapo6vpkLxS6LmGZ2OKeqpWCf/4xy0BVjGOD2z+PALzQiZVQF3Rm\n/UnKVA1wWhbu/woOPwGkgpcszPlgBG/WqpiuMI3hp9bBtu/+VrIilD2XK4oPJpKm\nybauC4ffJwKBgQDcYQn6+k9SW/JpFlExp7NEiffHuVv7E0C7dUmbm8SILfMHJHu2\nSD1NTOTOzRU2syGVdGd89quB869kTe4JW2KKaS1PRGu8mF4+ymzy/qH6z1mb58Kc\nA4QsB1LL+BmvmVqqeMVH9F20ohxvfzLhhMh7pcnxjAS3cNcrVJfKvWlq2wKBgAcN\nZAmR8UVY3V26sucNZtymXnAA2MZJipymGRfvDiUjeCzgjIXFrD0auOCTewPkCuGi\nMEdBja31FEx4/6vajH/rhNDjt6Ht1EdATfub2AbkD+Fi09cCRGq8BeyhO1xDjEHa\nQCwmq0kblbu/bPxj12MIatITyY8UzzKIC65V1vkNAoGBAJQh70+vyMrKmac5PN6r\nHJ6NWNT4lRcHAwT5OIRsm5kMt29ocsU2eVHHPz3LLLUUgLMGgUKFe66fktshm5QK\nlAgqzk98/smG67xtwlslcF19VtTcCBNTO6udez6ibkuVzcz+VJMiqtsuwyT4VSfS\n7e6r+t+3XPZMZteCXExwNb5Q\n-----END PRIVATE KEY-----\n',
  client_email: 'sample@automateos-sample.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.googleapis.com/token',
}
