namespace Cki.Infra.Tests;
