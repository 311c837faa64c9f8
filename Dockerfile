# Builds both hosts; the image runs the silo by default, the gateway with `dotnet Vectord.GatewayHost.dll`.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Vectord.Silo.csproj -c Release -o /app/silo \
 && dotnet publish src/GatewayHost/Vectord.GatewayHost.csproj -c Release -o /app/gateway

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=build /app/silo .
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "Vectord.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /app/gateway .
EXPOSE 8080
ENTRYPOINT ["dotnet", "Vectord.GatewayHost.dll"]
