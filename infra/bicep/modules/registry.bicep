// The registry of the cki-compute image. No admin user: the kubelet identity pulls with AcrPull (access.bicep),
// and images are built in the registry (az acr build) by the deploying principal.
param location string
param tags object
param registryName string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
