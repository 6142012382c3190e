// Two user-assigned identities: the Function App's (workflow) and the compute jobs' (through workload identity).
param location string
param tags object
param functionIdentityName string
param computeIdentityName string

resource functionIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: functionIdentityName
  location: location
  tags: tags
}

resource computeIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: computeIdentityName
  location: location
  tags: tags
}

output functionIdentityId string = functionIdentity.id
output functionClientId string = functionIdentity.properties.clientId
output functionPrincipalId string = functionIdentity.properties.principalId
output computeIdentityName string = computeIdentity.name
output computeClientId string = computeIdentity.properties.clientId
output computePrincipalId string = computeIdentity.properties.principalId
